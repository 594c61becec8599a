// Hits (#/hits): behaviour-rule detections and reputation hits, filtered by rule, category and
// confidence, as a trend and the detail table.

import * as api from '../api.js';
import { el, replace } from '../dom.js';
import { count, plural, timeCell, seconds } from '../format.js';
import { Chart, trendOption } from '../charts.js';
import { DataTable, Pager } from '../table.js';
import { CATEGORIES, CONFIDENCES, confidenceBadge } from '../vocabulary.js';
import { page, card, choice, ipLink } from './common.js';

export function hits(ctx) {
  const filter = { rule: '', category: '', confidence: '' };
  const trend = new Chart('Hits over time');
  const table = new DataTable({
    caption: 'Hits',
    empty: 'No hits match these filters in this range.',
    rowKey: (h) => [h.ts, h.ip, h.rule, h.category, h.source, h.group].join('|'),
    rowLabel: (h) => (h.rule || 'intel hit') + ' on ' + (h.ip || h.group || 'a group') + (h.ip ? ': open threat profile' : ''),
    onOpen: (h) => h.ip && ctx.navigate('#/ip/' + encodeURIComponent(h.ip)),
    columns: [
      { key: 'ts', label: 'Time', render: (h) => timeCell(h.ts || h.last_seen), sort: (h) => h.ts || h.last_seen, width: '12%' },
      { key: 'ip', label: 'IP / group', render: (h) => h.ip ? ipLink(h.ip, { tabindex: '-1' }) : el('span', { class: 'mono' }, h.group || '–'), sort: (h) => h.ip || h.group },
      { key: 'source', label: 'Source', render: (h) => el('span', { class: 'badge source-' + (h.source === 'intel' ? 'intel' : 'behavior') }, h.source || 'behavior'), sort: (h) => h.source },
      { key: 'rule', label: 'Rule / feeds', render: (h) => el('span', { class: 'mono clip', title: ruleOrFeeds(h) }, ruleOrFeeds(h)), sort: (h) => ruleOrFeeds(h) },
      { key: 'category', label: 'Category', render: (h) => h.category || '–', sort: (h) => h.category },
      { key: 'confidence', label: 'Confidence', render: (h) => confidenceBadge(h.confidence), sort: (h) => CONFIDENCES.indexOf(h.confidence) },
      { key: 'count', label: 'Count', numeric: true, render: (h) => h.count == null ? '–' : count(h.count), sort: (h) => h.count },
      { key: 'window', label: 'Window', render: (h) => seconds(h.window_seconds), sort: (h) => h.window_seconds },
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

  const frame = page('Hits', 'Behaviour-rule detections and threat-intel reputation hits',
    card('Hits over time', { cls: 'card-trend' }, trend.element),
    card('Detail', { tools: total, id: 'hits-detail' },
      el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter hits', onsubmit: (e) => e.preventDefault() },
        el('div', { class: 'field field-grow' }, el('label', { for: 'f-rule' }, 'Rule id'), ruleInput, rulesList),
        choice('Category', CATEGORIES, setFilter('category')).element,
        choice('Confidence', CONFIDENCES, setFilter('confidence')).element),
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
    trend.set(trendOption(points, [['behavior', 'Behaviour detections', '#f97316'], ['intel', 'Intel hits (requests)', '#a855f7']], true),
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
