// Feeds (#/feeds): each threat feed's entries, freshness and last error.

import * as api from '../api.js';
import { el } from '../dom.js';
import { count, ago, timeCell } from '../format.js';
import { DataTable } from '../table.js';
import { page, card } from './common.js';

const STALE_AFTER_MS = 2 * 86400e3; // twice the default 24 h refresh interval

export function feeds() {
  const table = new DataTable({
    caption: 'Threat feeds',
    empty: 'No feeds: start serve with --intel intel.tis or --feed SPEC.',
    rowKey: (f) => f.name,
    columns: [
      { key: 'name', label: 'Feed', render: (f) => el('span', { class: 'mono strong' }, f.name), sort: (f) => f.name },
      { key: 'source', label: 'Source', render: (f) => el('span', { class: 'clip mono', title: f.source || '' }, f.source || '–'), sort: (f) => f.source, width: '28%' },
      { key: 'format', label: 'Format', render: (f) => f.format || '–', sort: (f) => f.format },
      { key: 'entries', label: 'Entries', numeric: true, render: (f) => count(f.entries), sort: (f) => f.entries },
      { key: 'refresh', label: 'Last refresh', render: freshness, sort: (f) => f.last_refresh },
      { key: 'error', label: 'Last error', render: (f) => f.last_error ? el('span', { class: 'error-text', title: f.last_error }, f.last_error) : el('span', { class: 'ok-text' }, 'none'), sort: (f) => f.last_error || '' },
    ],
  });
  const summary = el('span', { class: 'card-count' });
  const frame = page('Feeds', 'Threat-intel feeds behind the verdicts: size, freshness and errors',
    card('Feeds', { tools: summary, id: 'feeds-table' }, table.element));

  return {
    title: 'Feeds',
    element: frame.element,
    async refresh() {
      const answer = await api.get('/api/v1/feeds');
      const items = Array.isArray(answer) ? answer : (answer.items || answer.feeds || []);
      table.setRows(items);
      const failing = items.filter((f) => f.last_error).length;
      const entries = items.reduce((n, f) => n + (f.entries || 0), 0);
      summary.textContent = count(items.length) + ' feeds · ' + count(entries) + ' entries' + (failing ? ' · ' + failing + ' failing' : '');
      frame.clearError();
    },
    showError: frame.showError,
    dispose() {},
  };
}

function freshness(f) {
  if (!f.last_refresh) return el('span', { class: 'badge fresh-none' }, 'never');
  const stale = Date.now() - new Date(f.last_refresh).getTime() > STALE_AFTER_MS;
  return el('span', null, el('span', { class: 'badge ' + (stale ? 'fresh-stale' : 'fresh-ok') }, stale ? 'stale' : 'fresh'), ' ',
    el('span', { title: f.last_refresh }, ago(f.last_refresh)), ' ', el('span', { class: 'muted small' }, '(', timeCell(f.last_refresh), ')'));
}
