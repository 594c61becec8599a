// Alerts (#/alerts): the alert outbox — what was delivered, what is still owed (with attempts and
// the last error) and what failed for good, so a broken channel is seen, not guessed.

import * as api from '../api.js';
import { el } from '../dom.js';
import { count, plural, ago, timeCell } from '../format.js';
import { DataTable } from '../table.js';
import { page, card } from './common.js';

const STATES = ['all', 'failed', 'pending', 'delivered'];

export function alerts() {
  let state = 'all';
  const table = new DataTable({
    caption: 'Alert deliveries',
    empty: 'No alerts yet: alert policies are set in the alerts section of threatip.yaml.',
    rowKey: (a) => String(a.id),
    columns: [
      { key: 'created', label: 'Created', render: (a) => timeCell(a.created), sort: (a) => a.created },
      { key: 'policy', label: 'Policy', render: (a) => el('span', { class: 'mono' }, a.policy), sort: (a) => a.policy },
      { key: 'channel', label: 'Channel', render: (a) => el('span', { class: 'mono' }, a.channel), sort: (a) => a.channel },
      { key: 'state', label: 'State', render: stateBadge, sort: (a) => a.state },
      { key: 'attempts', label: 'Attempts', numeric: true, render: (a) => count(a.attempts), sort: (a) => a.attempts },
      { key: 'when', label: 'Delivered / next try', render: (a) => a.delivered_at ? ago(a.delivered_at) : a.next_attempt ? 'next ' + ago(a.next_attempt) : '–', sort: (a) => a.delivered_at || a.next_attempt || '' },
      { key: 'error', label: 'Last error', render: (a) => a.last_error ? el('span', { class: 'error-text clip', title: a.last_error }, a.last_error) : '–', sort: (a) => a.last_error || '' },
    ],
  });
  const summary = el('span', { class: 'card-count' });
  const filter = el('select', { id: 'alerts-state', 'aria-label': 'Delivery state' },
    ...STATES.map((s) => el('option', { value: s }, s)));
  const frame = page('Alerts', 'Alert messages and their delivery: delivered, owed (retrying) and failed',
    card('Deliveries', { tools: el('span', {}, filter, ' ', summary), id: 'alerts-table' }, table.element));
  let view;
  filter.addEventListener('change', () => { state = filter.value; view.refresh().catch(frame.showError); });

  view = {
    title: 'Alerts',
    element: frame.element,
    async refresh() {
      const query = state === 'all' ? '' : '&state=' + encodeURIComponent(state);
      const answer = await api.get('/api/v1/alerts?limit=200' + query);
      const items = answer.items || [];
      table.setRows(items);
      const failed = items.filter((a) => a.state === 'failed').length;
      const pending = items.filter((a) => a.state === 'pending').length;
      summary.textContent = plural(answer.total ?? items.length, 'message')
        + (failed ? ' · ' + count(failed) + ' failed' : '') + (pending ? ' · ' + count(pending) + ' owed' : '');
      frame.clearError();
    },
    showError: frame.showError,
    dispose() {},
  };
  return view;
}

function stateBadge(a) {
  const cls = a.state === 'delivered' ? 'fresh-ok' : a.state === 'failed' ? 'fresh-stale' : 'fresh-none';
  return el('span', { class: 'badge ' + cls }, a.state);
}
