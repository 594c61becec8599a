// Overview: summary counts, requests vs malicious requests over time, distributions by
// category, confidence and country, and the table of detected IPs (filter, sort, page).

import * as api from '../api.js';
import { el } from '../dom.js';
import { compact, count, plural, share, timeCell, asn, country } from '../format.js';
import { Chart, trendOption, barOption, donutOption, hasData, PALETTE } from '../charts.js';
import { DataTable, Pager } from '../table.js';
import { CATEGORIES, CONFIDENCES, LEVELS, verdictBadge, levelBadge, categoryTag } from '../vocabulary.js';
import { page, card, choice, searchBox, ipLink } from './common.js';

const ADDRESS_PREFIX = /^[0-9a-fA-F.:]{0,45}$/;

export function overview(ctx) {
  const filter = { category: '', confidence: '', level: '', q: '', sort: '', order: '' };

  const kpi = (label, hint) => {
    const value = el('div', { class: 'kpi-value' }, '–');
    const note = el('div', { class: 'kpi-note' }, '');
    return { value, note, element: el('div', { class: 'kpi', title: hint }, el('div', { class: 'kpi-label' }, label), value, note) };
  };
  const kRequests = kpi('Requests', 'Access-log requests stored in the range');
  const kIps = kpi('Malicious IPs', 'Flagged IPs (malicious or suspicious) with requests in the range');
  const kFlagged = kpi('Malicious requests', 'Requests from flagged IPs in the range');
  const kShare = kpi('Malicious share', 'Malicious requests / requests');
  kShare.element.classList.add('kpi-alert');
  const kEdge = kpi('Stopped at the edge', 'Requests threatip gate blocked or challenged in the range (its hit log, ingested by serve)');
  kEdge.element.id = 'kpi-edge';

  const trend = new Chart('Requests and malicious requests over time');
  const byCategory = new Chart('Flagged IPs by category');
  const byConfidence = new Chart('Flagged IPs by confidence');
  const byCountry = new Chart('Flagged IPs by country');

  const table = new DataTable({
    caption: 'Detected IPs',
    empty: 'No detected IPs match these filters.',
    rowKey: (i) => i.ip,
    rowLabel: (i) => i.ip + ', ' + i.verdict + (i.level ? ', level ' + i.level : '') + ': open threat profile',
    onOpen: (i) => ctx.navigate('#/ip/' + encodeURIComponent(i.ip)),
    // the API sorts (over all pages, not just this one) by level, hits, last_seen or ip
    onSort: (key, ascending) => {
      filter.sort = key;
      filter.order = ascending ? 'asc' : 'desc';
      pager.reset();
      loadIps().catch(frame.showError);
    },
    initialSort: { key: 'level', ascending: false },
    columns: [
      { key: 'ip', label: 'IP', render: (i) => ipLink(i.ip, { tabindex: '-1' }), sort: true, width: '14%' },
      { key: 'verdict', label: 'Verdict', render: (i) => verdictBadge(i.verdict) },
      { key: 'level', label: 'Level', render: (i) => levelBadge(i.level), sort: true, descendingFirst: true },
      { key: 'categories', label: 'Categories', render: (i) => el('div', { class: 'tags' }, (i.categories || []).map(categoryTag)), width: '32%' },
      { key: 'hits', label: 'Hits', numeric: true, render: (i) => count(i.hits), sort: true, descendingFirst: true },
      { key: 'country', label: 'Country', render: (i) => country(i.country) },
      { key: 'asn', label: 'ASN', render: (i) => el('span', { class: 'clip', title: asn(i.asn) }, asn(i.asn)) },
      { key: 'last_seen', label: 'Last seen', render: (i) => timeCell(i.last_seen), sort: true, descendingFirst: true },
    ],
  });
  const pager = new Pager('Detected IPs', () => loadIps().catch(frame.showError));

  const setFilter = (key) => (value) => {
    filter[key] = value;
    pager.reset();
    loadIps().catch(frame.showError);
  };
  const fCategory = choice('Category', CATEGORIES, setFilter('category'));
  const fConfidence = choice('Confidence', CONFIDENCES, setFilter('confidence'));
  const fLevel = choice('Level', LEVELS, setFilter('level'));
  const searchHint = el('p', { class: 'field-hint', id: 'search-hint', 'aria-live': 'polite' });
  const fText = searchBox('Search', 'IP or prefix, e.g. 203.0.113.', (text) => {
    // the API matches address prefixes; say so instead of sending what it would refuse
    if (!ADDRESS_PREFIX.test(text)) {
      searchHint.textContent = 'Search matches the start of an address: digits, a–f, "." and ":".';
      return;
    }
    searchHint.textContent = '';
    setFilter('q')(text);
  });
  fText.input.setAttribute('aria-describedby', 'search-hint');
  const ipsTitle = el('span', { class: 'card-count' });

  const frame = page('Overview', '',
    el('div', { class: 'kpis' }, kRequests.element, kIps.element, kFlagged.element, kShare.element, kEdge.element),
    card('Requests vs malicious requests', { cls: 'card-trend' }, trend.element),
    el('div', { class: 'grid-3' },
      card('By category', { cls: 'card-dist' }, byCategory.element),
      card('By confidence', { cls: 'card-dist' }, byConfidence.element),
      card('By country', { cls: 'card-dist' }, byCountry.element)),
    card('Detected IPs', { tools: ipsTitle, id: 'detected-ips' },
      el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter detected IPs', onsubmit: (e) => e.preventDefault() },
        fCategory.element, fConfidence.element, fLevel.element, fText.element, searchHint),
      table.element, pager.element));

  async function loadStats() {
    const r = ctx.range();
    const s = await api.get('/api/v1/stats', { from: r.from, to: r.to });
    const label = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' }[r.key];
    frame.subtitle.textContent = label + ' · every request stored from the access logs, and the IPs flagged in them';
    kRequests.value.textContent = compact(s.requests);
    kRequests.note.textContent = 'in the ' + label.toLowerCase();
    kIps.value.textContent = compact(s.flagged_ips);
    kIps.note.textContent = LEVELS.map((l) => count((s.by_level || {})[l] || 0) + ' ' + l).join(' · ');
    kFlagged.value.textContent = compact(s.flagged_requests);
    kFlagged.note.textContent = 'from flagged IPs';
    kShare.value.textContent = share(s.flagged_requests, s.requests);
    kShare.note.textContent = count(s.flagged_requests) + ' of ' + count(s.requests);
    renderEdge(s.by_gateway_action || {}, s.gateway_not_enforced || {});
    const points = s.trend || [];
    trend.set(trendOption(points), points.length ? null : 'No requests in this range.');
    const cats = s.by_category || {};
    byCategory.set(barOption(cats, 8, (k) => PALETTE[CATEGORIES.indexOf(k) % PALETTE.length] || PALETTE[0]),
      hasData(cats) ? null : 'No flagged IPs in this range.');
    byConfidence.set(donutOption(s.by_confidence, CONFIDENCES), hasData(s.by_confidence) ? null : 'No flagged IPs in this range.');
    byCountry.set(barOption(s.by_country, 8, () => '#38bdf8'),
      hasData(s.by_country) ? null : 'No country known: start serve with --geo city.mmdb.');
  }

  /** Blocked and challenged requests the gate answered itself; monitor mode's would-be actions said apart. */
  function renderEdge(byAction, notEnforced) {
    const enforced = (a) => (byAction[a] || 0) - (notEnforced[a] || 0);
    const blocked = enforced('block');
    const challenged = enforced('js_challenge') + enforced('managed_challenge');
    const passed = Object.values(notEnforced).reduce((a, b) => a + b, 0);
    const any = Object.values(byAction).some((n) => n > 0);
    kEdge.value.textContent = any ? compact(blocked + challenged) : '–';
    kEdge.note.textContent = !any ? 'no gateway hits (threatip gate → serve --watch gate-hits.log)'
      : count(blocked) + ' blocked · ' + count(challenged) + ' challenged'
        + (byAction.monitor ? ' · ' + count(byAction.monitor) + ' monitored' : '')
        + (passed ? ' · ' + count(passed) + ' not enforced (monitor mode)' : '');
  }

  async function loadIps() {
    const answer = await api.get('/api/v1/ips', { ...filter, limit: pager.limit, offset: pager.offset });
    const items = answer.items || [];
    table.setRows(items);
    pager.update(answer.total, items.length);
    ipsTitle.textContent = plural(answer.total, 'IP');
  }

  return {
    title: 'Overview',
    element: frame.element,
    async refresh() {
      await Promise.all([loadStats(), loadIps()]);
      frame.clearError();
    },
    showError: frame.showError,
    dispose() {
      for (const c of [trend, byCategory, byConfidence, byCountry]) c.dispose();
    },
  };
}
