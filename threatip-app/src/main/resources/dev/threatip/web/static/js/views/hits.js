// Hits (#/hits): behaviour-rule detections, reputation hits and the gateway's actions (threatip
// gate's hit log, ingested by serve), filtered by rule, category, confidence, action and source,
// as a trend and the detail table. Gateway rows are marked and show what the edge did.

import * as api from '../api.js';
import { el } from '../dom.js';
import { count, plural, timeCell, seconds } from '../format.js';
import { Chart, trendOption } from '../charts.js';
import { DataTable, Pager } from '../table.js';
import { ACTIONS, CATEGORIES, CONFIDENCES, SOURCES, actionBadge, confidenceBadge } from '../vocabulary.js';
import { page, card, choice, ipLink } from './common.js';

const SOURCE_BADGES = { behavior: 'behavior', intel: 'intel', gateway: 'gateway' };

export function hits(ctx) {
  const filter = { rule: '', category: '', confidence: '', action: '', source: '' };
  const trend = new Chart('Hits over time');
  const table = new DataTable({
    caption: 'Hits',
    empty: 'No hits match these filters in this range.',
    rowKey: (h) => [h.ts, h.ip, h.rule, h.category, h.source, h.group, h.request_id].join('|'),
    rowLabel: (h) => (h.rule || 'intel hit') + (h.action ? ' (' + h.action + ')' : '') + ' on ' + (h.ip || h.group || 'a group')
      + (h.ip ? ': open threat profile' : ''),
    rowClass: (h) => (h.source === 'gateway' ? 'row-gateway' : null),
    onOpen: (h) => h.ip && ctx.navigate('#/ip/' + encodeURIComponent(h.ip)),
    columns: [
      { key: 'ts', label: 'Time', render: (h) => timeCell(h.ts || h.last_seen), sort: (h) => h.ts || h.last_seen, width: '12%' },
      { key: 'ip', label: 'IP / group', render: (h) => h.ip ? ipLink(h.ip, { tabindex: '-1' }) : el('span', { class: 'mono' }, h.group || '–'), sort: (h) => h.ip || h.group },
      { key: 'source', label: 'Source', render: (h) => el('span', { class: 'badge source-' + (SOURCE_BADGES[h.source] || 'behavior') }, h.source || 'behavior'), sort: (h) => h.source },
      { key: 'action', label: 'Action', render: (h) => actionBadge(h.action, h.enforced), sort: (h) => ACTIONS.indexOf(h.action) },
      { key: 'rule', label: 'Rule / feeds', render: (h) => el('span', { class: 'mono clip', title: ruleOrFeeds(h) }, ruleOrFeeds(h)), sort: (h) => ruleOrFeeds(h) },
      { key: 'category', label: 'Category', render: (h) => h.category || '–', sort: (h) => h.category },
      { key: 'confidence', label: 'Confidence', render: (h) => h.confidence ? confidenceBadge(h.confidence) : '–', sort: (h) => CONFIDENCES.indexOf(h.confidence) },
      { key: 'count', label: 'Count', numeric: true, render: (h) => h.count == null ? '–' : count(h.count), sort: (h) => h.count },
      { key: 'detail', label: 'Window / request', render: detail, sort: (h) => h.window_seconds ?? h.path },
      { key: 'first', label: 'First seen', render: (h) => timeCell(h.first_seen), sort: (h) => h.first_seen },
    ],
  });
  const pager = new Pager('Hits', () => load().catch(frame.showError));
  const total = el('span', { class: 'card-count' });

  const rulesList = el('datalist', { id: 'known-rules' });
  const ruleInput = el('input', { id: 'f-rule', name: 'rule', type: 'search', list: 'known-rules', placeholder: 'e.g. probing-4xx', autocomplete: 'off', spellcheck: 'false' });
  let typing = null;
  ruleInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      filter.rule = ruleInput.value.trim();
      pager.reset();
      load().catch(frame.showError);
    }, 300);
  });
  const setFilter = (key) => (value) => {
    filter[key] = value;
    pager.reset();
    load().catch(frame.showError);
  };

  const frame = page('Hits', 'Behaviour-rule detections, threat-intel reputation hits and the gateway\'s actions',
    card('Hits over time', { cls: 'card-trend' }, trend.element),
    card('Detail', { tools: total, id: 'hits-detail' },
      el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter hits', onsubmit: (e) => e.preventDefault() },
        el('div', { class: 'field field-grow' }, el('label', { for: 'f-rule' }, 'Rule id'), ruleInput, rulesList),
        choice('Category', CATEGORIES, setFilter('category')).element,
        choice('Confidence', CONFIDENCES, setFilter('confidence')).element,
        choice('Action', ACTIONS, setFilter('action')).element,
        choice('Source', SOURCES, setFilter('source')).element),
      table.element, pager.element));

  const known = new Set();

  async function load() {
    const r = ctx.range();
    const answer = await api.get('/api/v1/hits', { ...filter, from: r.from, to: r.to, limit: pager.limit, offset: pager.offset });
    const items = answer.items || [];
    table.setRows(items);
    pager.update(answer.total ?? items.length, items.length);
    total.textContent = plural(answer.total ?? items.length, 'hit');
    const points = answer.trend || [];
    trend.set(trendOption(points, [['behavior', 'Behaviour detections', '#f97316'], ['intel', 'Intel hits (requests)', '#a855f7'],
      ['gateway', 'Gateway actions (requests)', '#22d3ee']], true),
    points.length ? null : 'No hits in this range.');
    for (const rule of [...(answer.rules || []), ...items.map((h) => h.rule)]) {
      const id = typeof rule === 'string' ? rule : rule && rule.rule;
      if (id && !known.has(id)) {
        known.add(id);
        rulesList.append(el('option', { value: id }));
      }
    }
  }

  return {
    title: 'Hits',
    element: frame.element,
    async refresh() {
      await load();
      frame.clearError();
    },
    showError: frame.showError,
    dispose() {
      trend.dispose();
    },
  };
}

function ruleOrFeeds(h) {
  if (h.rule) return h.rule;
  return h.feeds && h.feeds.length ? h.feeds.join(', ') : '–';
}

/** A detection's window; a gateway hit's request and answer, with its request id on hover. */
function detail(h) {
  if (h.source !== 'gateway') return seconds(h.window_seconds);
  const request = [h.method, (h.host || '') + (h.path || '')].filter(Boolean).join(' ');
  const text = request + (h.status != null ? ' → ' + h.status : '');
  return el('span', { class: 'mono clip', title: text + (h.request_id ? ' · request ' + h.request_id : '') }, text || '–');
}
