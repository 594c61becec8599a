// Feeds (#/feeds): the intel snapshot behind the verdicts, and each feed's entries, freshness
// and last error.

import * as api from '../api.js';
import { el, replace } from '../dom.js';
import { count, plural, ago, timeCell } from '../format.js';
import { DataTable } from '../table.js';
import { page, card, facts } from './common.js';

export function feeds() {
  const table = new DataTable({
    caption: 'Threat feeds',
    empty: 'No feeds: start serve with --intel intel.tis or --feed SPEC.',
    rowKey: (f) => f.name,
    columns: [
      { key: 'name', label: 'Feed', render: (f) => el('span', { class: 'mono strong' }, f.name), sort: (f) => f.name },
      { key: 'categories', label: 'Categories', render: (f) => el('span', { class: 'mono' }, (f.categories || []).join(', ') || '–'), sort: (f) => (f.categories || []).join(',') },
      { key: 'source', label: 'Source', render: (f) => el('span', { class: 'clip mono', title: f.source || '' }, f.source || '–'), sort: (f) => f.source, width: '24%' },
      { key: 'format', label: 'Format', render: (f) => f.format || '–', sort: (f) => f.format },
      { key: 'entries', label: 'Entries', numeric: true, render: (f) => count(f.entries), sort: (f) => f.entries },
      { key: 'bad', label: 'Bad lines', numeric: true, render: (f) => f.bad_lines ? el('span', { class: 'warn' }, count(f.bad_lines)) : '0', sort: (f) => f.bad_lines },
      { key: 'refresh', label: 'Last refresh', render: freshness, sort: (f) => f.last_refresh },
      { key: 'error', label: 'Last error', render: (f) => f.last_error ? el('span', { class: 'error-text clip', title: f.last_error }, f.last_error) : el('span', { class: 'ok-text' }, 'none'), sort: (f) => f.last_error || '' },
    ],
  });
  const summary = el('span', { class: 'card-count' });
  const snapshot = el('div');
  const frame = page('Feeds', 'The threat-intel feeds behind the verdicts: size, freshness and errors',
    card('Snapshot', { id: 'feeds-snapshot' }, snapshot),
    card('Feeds', { tools: summary, id: 'feeds-table' }, table.element));

  return {
    title: 'Feeds',
    element: frame.element,
    async refresh() {
      const answer = await api.get('/api/v1/feeds');
      const items = answer.items || [];
      table.setRows(items);
      const failing = items.filter((f) => f.last_error).length;
      const entries = items.reduce((n, f) => n + (f.entries || 0), 0);
      summary.textContent = plural(answer.total ?? items.length, 'feed') + ' · ' + plural(entries, 'entry', 'entries')
        + (failing ? ' · ' + count(failing) + ' with errors' : '');
      const s = answer.snapshot;
      replace(snapshot, s ? facts([
        ['File', el('span', { class: 'mono' }, s.path || '–')],
        ['Compiled', [timeCell(s.compiled_at), ' ', el('span', { class: 'muted' }, '(' + ago(s.compiled_at) + ')')]],
        ['State', s.stale ? el('span', { class: 'badge fresh-stale' }, 'stale') : el('span', { class: 'badge fresh-ok' }, 'fresh')],
        ['Last reload', s.last_refresh ? timeCell(s.last_refresh) : 'never'],
        s.last_error ? ['Last error', el('span', { class: 'error-text' }, s.last_error)] : null,
      ]) : el('p', { class: 'muted' }, 'No intel snapshot loaded: verdicts come from behaviour rules only.'));
      frame.clearError();
    },
    showError: frame.showError,
    dispose() {},
  };
}

function freshness(f) {
  if (!f.last_refresh) return el('span', { class: 'badge fresh-none' }, 'never');
  return el('span', { class: 'fresh' },
    el('span', { class: 'badge ' + (f.stale ? 'fresh-stale' : 'fresh-ok') }, f.stale ? 'stale' : 'fresh'), ' ',
    el('span', { title: f.last_refresh }, ago(f.last_refresh)));
}
