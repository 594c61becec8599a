// The threat profile of one IP (#/ip/{ip}): verdict and level, categories with their evidence
// (feeds with first/last seen, rules with counts), geo and ASN, activity, endpoints, statuses,
// user agents, sample records, the linked access logs (paged), decisions, and the actions:
// block (a manual ban for a chosen duration), allow (delete the IP's decisions and keep new
// ones off it for 24 h), monitor (no decision). The actions need the admin token; signed in
// read-only they are shown disabled.

import * as api from '../api.js';
import { el, replace } from '../dom.js';
import { count, plural, timeCell, seconds, asn as asnText } from '../format.js';
import { Chart, barOption, hasData } from '../charts.js';
import { DataTable, Pager } from '../table.js';
import { verdictBadge, levelBadge, confidenceBadge, categoryTag, actionBadge } from '../vocabulary.js';
import { worldMap } from '../geomap.js';
import { page, card, facts } from './common.js';

const READ_ONLY = 'needs the admin token (signed in read-only)';
const DURATIONS = [['1h', '1 hour'], ['4h', '4 hours'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']];

export function profile(ctx, ip) {
  const path = '/api/v1/ips/' + encodeURIComponent(ip);
  const head = el('div', { class: 'profile-head' });
  const summary = el('div', { class: 'profile-summary' });
  const location = el('div');
  const network = el('div');
  const categories = el('div');
  const intel = el('div');
  const rules = el('div');
  const paths = el('div');
  const statuses = new Chart('Requests by HTTP status');
  const statusHost = el('div', { class: 'profile-statuses' }, statuses.element);
  const agents = el('div');
  const samples = el('div');
  const decisions = el('div');
  const gateway = el('div', { id: 'profile-gateway' });

  const logs = new DataTable({
    caption: 'Access logs of ' + ip,
    empty: 'No stored access-log records for this IP.',
    rowKey: (e) => (e.source || '') + ':' + (e.line ?? '') + ':' + (e.time || e.ts || '') + ':' + (e.raw || '').length,
    columns: [
      { key: 'time', label: 'Time', render: (e) => timeCell(e.time || e.ts), width: '12%' },
      { key: 'request', label: 'Request', render: requestCell, width: '38%' },
      { key: 'status', label: 'Status', numeric: true, render: (e) => e.status ?? '–' },
      { key: 'bytes', label: 'Bytes', numeric: true, render: (e) => e.bytes == null || e.bytes < 0 ? '–' : count(e.bytes) },
      { key: 'ua', label: 'User agent', render: (e) => el('span', { class: 'clip', title: e.user_agent || '' }, e.user_agent || '–'), width: '26%' },
      { key: 'source', label: 'Source', render: (e) => el('span', { class: 'clip mono', title: sourceText(e) }, sourceText(e)) },
    ],
  });
  const logsPager = new Pager('Access logs', () => loadLogs().catch(frame.showError));
  const logsCount = el('span', { class: 'card-count' });

  const note = el('span', { class: 'actions-note', id: 'actions-note', role: 'status' }, '');
  const duration = el('select', { class: 'action-duration', 'aria-label': 'Ban duration' },
    DURATIONS.map(([v, label]) => el('option', v === '24h' ? { value: v, selected: true } : { value: v }, label)));
  const buttons = ['Block', 'Allow', 'Monitor'].map((a) =>
    el('button', { type: 'button', class: 'btn btn-action action-' + a.toLowerCase(), 'aria-describedby': 'actions-note' }, a));
  const [blockBtn, allowBtn, monitorBtn] = buttons;
  const actions = el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions on ' + ip },
    buttons.map((b) => el('span', { class: 'action-wrap' }, b)), duration, note);

  async function act(what, call) {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      note.textContent = await call();
      await view.refresh();
    } catch (err) {
      note.textContent = what + ' refused: ' + err.message;
    } finally {
      enableActions();
    }
  }
  blockBtn.addEventListener('click', () => act('Block', async () => {
    const d = await api.send('POST', '/api/v1/decisions', null,
      { scope: ip, type: 'ban', duration: duration.value, reason: 'blocked from the dashboard' });
    return 'Banned ' + d.scope + ' until ' + d.expires + ' (decision ' + d.id + ').';
  }));
  allowBtn.addEventListener('click', () => act('Allow', async () => {
    const r = await api.send('DELETE', '/api/v1/decisions', { ip, allow: '24h', reason: 'allowed from the dashboard' });
    return 'Allowed: ' + plural(r.deleted, 'decision') + ' deleted; no new decision until ' + r.allowed_until + '.';
  }));
  monitorBtn.addEventListener('click', () => {
    note.textContent = 'Monitoring: no decision is made; ' + ip + ' stays on this page and in the lists.';
  });
  function enableActions() {
    const readOnly = api.access() === 'read';
    for (const b of [...buttons, duration]) {
      b.disabled = readOnly;
      b.title = readOnly ? (b === duration ? 'Ban duration' : b.textContent) + ': ' + READ_ONLY : '';
    }
    if (readOnly) note.textContent = 'Actions ' + READ_ONLY + '.';
  }

  const frame = page('Threat profile', '',
    el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, el('a', { href: '#/' }, '← Overview'), el('span', null, ' / '), el('span', { class: 'mono' }, ip)),
    el('div', { class: 'profile-top' }, head, actions),
    el('div', { class: 'grid-3' },
      card('Verdict', { cls: 'card-fill' }, summary),
      card('Location', { cls: 'card-fill' }, location),
      card('Network and decisions', { cls: 'card-fill' }, network, decisions, gateway)),
    card('Categories', null, categories),
    el('div', { class: 'grid-2' },
      card('Threat-intel sources', { cls: 'card-fill' }, intel),
      card('Behaviour rules', { cls: 'card-fill' }, rules)),
    el('div', { class: 'grid-3' },
      card('Endpoints touched', { cls: 'card-fill' }, paths),
      card('Statuses', { cls: 'card-fill' }, statusHost),
      card('User agents', { cls: 'card-fill' }, agents)),
    card('Sample records', null, samples),
    card('Access logs', { tools: logsCount, id: 'access-logs' }, logs.element, logsPager.element));

  function render(p) {
    frame.subtitle.textContent = 'Why ' + ip + ' is ' + (p.verdict || 'unknown') + ', and what it did';
    replace(head,
      el('span', { class: 'profile-ip mono' }, p.ip || ip),
      verdictBadge(p.verdict), el('span', { class: 'label-inline' }, 'level'), levelBadge(p.level),
      el('div', { class: 'tags' }, (p.categories || []).map(categoryTag)));

    replace(summary, facts([
      ['Verdict', verdictBadge(p.verdict)],
      ['Threat level', levelBadge(p.level)],
      ['Visits', count(p.hits ?? p.events)],
      p.events != null && p.events !== p.hits ? ['Stored requests', count(p.events)] : null,
      ['First seen', timeCell(p.first_seen)],
      ['Last seen', timeCell(p.last_seen)],
      p.matched ? ['Matched', el('span', { class: 'mono' }, p.matched)] : null,
      (p.tags || []).length ? ['Tags', (p.tags || []).join(', ')] : null,
      p.stale ? ['Intel', el('span', { class: 'warn' }, 'stale evidence')] : null,
    ]));

    const g = p.geo || {};
    const lat = num(g.lat), lon = num(g.lon);
    replace(location,
      worldMap(lat, lon, [g.city, g.country].filter(Boolean).join(', ') || ip),
      facts([
        ['Country', g.country || '–'],
        ['City', g.city || '–'],
        ['Coordinates', lat != null && lon != null ? lat.toFixed(4) + ', ' + lon.toFixed(4) : '–'],
      ]),
      p.geo ? null : el('p', { class: 'muted small' }, 'No geo database: start serve with --geo city.mmdb.'));

    const a = p.asn || {};
    replace(network, facts([
      ['ASN', a.number != null ? 'AS' + a.number : (typeof p.asn === 'number' ? asnText(p.asn) : '–')],
      ['Operator', a.org || '–'],
    ]));
    const ds = p.decisions || [];
    replace(decisions,
      el('h3', { class: 'sub' }, 'Decisions'),
      ds.length === 0
        ? el('p', { class: 'muted' }, 'No decisions on this IP.')
        : el('ul', { class: 'plain-list decisions' }, ds.map((d) => el('li', { 'data-decision': String(d.id), 'data-status': d.status || '' },
          el('strong', null, d.type || 'decision'), ' ', el('span', { class: 'mono' }, d.scope || ''), ' ',
          el('span', { class: 'muted' }, (d.simulated ? 'simulated, ' : '') + (d.status || '') + ' · ' + (d.origin || '')),
          d.expires ? el('span', { class: 'muted' }, ' until ', timeCell(d.expires)) : null,
          d.reason ? el('div', { class: 'muted small' }, d.reason) : null))));

    renderGateway(p.gateway);
    renderCategories(p);
    renderIntel(p);

    const top = p.top_paths || [];
    replace(paths, top.length === 0 ? el('p', { class: 'muted' }, 'No requests stored.') :
      el('ol', { class: 'bars' }, top.map((t) => el('li', null,
        el('span', { class: 'bar-label mono', title: t.path }, t.path),
        el('span', { class: 'bar-track', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill', style: 'width:' + pct(t.count, top[0].count) })),
        el('span', { class: 'bar-value' }, count(t.count))))));

    const st = p.statuses || {};
    statuses.set(barOption(st, 8, (k) => statusColor(k)), hasData(st) ? null : 'No statuses stored.');

    const uas = p.user_agents || [];
    replace(agents, uas.length === 0 ? el('p', { class: 'muted' }, 'No user agents stored.') :
      el('ul', { class: 'plain-list ua-list' }, uas.map((u) => el('li', { class: 'mono', title: typeof u === 'string' ? u : u.user_agent },
        typeof u === 'string' ? u : [u.user_agent, ' ', el('span', { class: 'muted' }, '(' + count(u.count) + ')')]))));

    const ss = p.samples || [];
    replace(samples, ss.length === 0 ? el('p', { class: 'muted' }, 'No sample records.') :
      el('pre', { class: 'samples', tabindex: '0', 'aria-label': 'Sample records' }, ss.map((s) => el('code', null, s, '\n'))));
  }

  /** What threatip gate did with this IP's requests: counts per action and the latest one. */
  function renderGateway(g) {
    if (!g || !g.hits) {
      replace(gateway, el('h3', { class: 'sub' }, 'At the edge'), el('p', { class: 'muted' }, 'No gateway actions on this IP.'));
      return;
    }
    const last = g.last;
    replace(gateway,
      el('h3', { class: 'sub' }, 'At the edge'),
      el('div', { class: 'gate-actions' }, Object.entries(g.actions || {}).map(([action, n]) =>
        el('span', { 'data-action': action }, actionBadge(action), ' ', el('span', { class: 'gate-count' }, count(n))))),
      g.not_enforced ? el('p', { class: 'muted small' }, count(g.not_enforced) + ' not enforced (monitor mode): the requests passed') : null,
      last ? el('p', { class: 'small' }, 'Last: ', actionBadge(last.action, last.enforced), ' ',
        el('span', { class: 'mono' }, [last.method, last.path].filter(Boolean).join(' ')), ' · ', el('span', { class: 'mono' }, last.rule),
        ' · ', timeCell(last.ts), last.request_id ? el('span', { class: 'muted' }, ' · request ' + last.request_id) : null) : null);
  }

  function renderCategories(p) {
    const cs = p.categories || [];
    if (cs.length === 0) {
      replace(categories, el('p', { class: 'muted' }, 'No threat categories: nothing known against this IP.'));
      return;
    }
    const t = new DataTable({
      caption: 'Categories of ' + ip,
      rowKey: (c) => c.category,
      columns: [
        { key: 'category', label: 'Category', render: (c) => el('span', { class: 'mono' }, c.category) },
        { key: 'confidence', label: 'Confidence', render: (c) => confidenceBadge(c.confidence) },
        { key: 'source', label: 'Source', render: (c) => c.source || '–' },
        { key: 'rules', label: 'Rules', render: (c) => listOrDash(c.rules) },
        { key: 'feeds', label: 'Feeds', render: (c) => listOrDash(c.feeds) },
      ],
    });
    t.setRows(cs);
    replace(categories, t.element);
  }

  function renderIntel(p) {
    const listings = (p.explanation && p.explanation.listings) || [];
    const notes = (p.explanation && p.explanation.notes) || [];
    if (listings.length === 0) {
      replace(intel, el('p', { class: 'muted' }, 'No feed lists this IP.'), notesList(notes));
      return;
    }
    const t = new DataTable({
      caption: 'Feeds listing ' + ip,
      rowKey: (l) => l.feed + ':' + (l.entry || ''),
      columns: [
        { key: 'feed', label: 'Feed', render: (l) => el('span', { class: 'mono' }, l.feed) },
        { key: 'entry', label: 'Entry', render: (l) => el('span', { class: 'mono' }, l.entry || '–') },
        { key: 'categories', label: 'Categories', render: (l) => (l.categories || []).join(', ') || '–' },
        { key: 'first', label: 'First seen', render: (l) => timeCell(l.first_seen) },
        { key: 'last', label: 'Last seen', render: (l) => timeCell(l.last_seen) },
      ],
    });
    t.setRows(listings);
    replace(intel, t.element, notesList(notes));
  }

  function renderRules(p, fired) {
    if (fired.length === 0) {
      replace(rules, el('p', { class: 'muted' }, 'No behaviour rule fired for this IP.'));
      return;
    }
    const t = new DataTable({
      caption: 'Behaviour rules fired by ' + ip,
      rowKey: (d) => [d.rule, d.category, d.ts || ''].join('|'),
      columns: [
        { key: 'rule', label: 'Rule', render: (d) => el('span', { class: 'mono' }, d.rule) },
        { key: 'category', label: 'Category', render: (d) => el('span', { class: 'mono' }, d.category) },
        { key: 'confidence', label: 'Confidence', render: (d) => confidenceBadge(d.confidence) },
        { key: 'count', label: 'Count', numeric: true, render: (d) => d.count == null ? el('span', { class: 'muted', title: 'Not among the first 1000 hits of this rule in the IP\'s active span; see Hits' }, 'see Hits') : count(d.count) },
        { key: 'window', label: 'Window', render: (d) => seconds(d.window_seconds) },
        { key: 'last', label: 'Last seen', render: (d) => timeCell(d.last_seen || d.ts) },
      ],
    });
    t.setRows(fired);
    replace(rules, t.element);
  }

  /**
   * The detections behind the profile's rules, with their counts and windows: the hits of each
   * rule over the IP's active span, this IP's kept. A rule whose hits there exceed one page and
   * miss this IP is listed without a count (never dropped).
   */
  async function firedRules(p) {
    const byRule = new Map();
    for (const c of p.categories || []) for (const r of c.rules || []) byRule.set(r, c);
    if (byRule.size === 0 || !p.first_seen || !p.last_seen) return [];
    const to = new Date(Date.parse(p.last_seen) + 1000);
    const from = new Date(Math.max(Date.parse(p.first_seen), to.getTime() - 366 * 86400e3));
    const answers = await Promise.all([...byRule.keys()].map((rule) => api.get('/api/v1/hits',
      { rule, source: 'behavior', from: from.toISOString(), to: to.toISOString(), limit: 1000 })));
    const fired = [];
    [...byRule.entries()].forEach(([rule, c], i) => {
      const own = (answers[i].items || []).filter((h) => h.ip === p.ip);
      if (own.length) fired.push(...own);
      else fired.push({ rule, category: c.category, confidence: c.confidence, count: null });
    });
    return fired;
  }

  async function loadLogs() {
    const answer = await api.get(path + '/logs', { limit: logsPager.limit, offset: logsPager.offset });
    const items = answer.items || [];
    logs.setRows(items);
    logsPager.update(answer.total, items.length);
    logsCount.textContent = plural(answer.total, 'record');
  }

  let loaded = false;
  const view = {
    title: ip,
    element: frame.element,
    async refresh() {
      try {
        const [p] = await Promise.all([api.get(path), loadLogs()]);
        render(p);
        enableActions();
        renderRules(p, p.detections || await firedRules(p));
        loaded = true;
        frame.clearError();
      } catch (err) {
        if (err.status === 404 && !loaded) {
          replace(head, el('span', { class: 'profile-ip mono' }, ip), verdictBadge('clean'));
          replace(summary, el('p', { class: 'muted' }, 'threatip knows nothing about ' + ip + ': no stored requests, no intel.'));
        }
        throw err;
      }
    },
    showError: frame.showError,
    dispose() {
      statuses.dispose();
    },
  };
  return view;
}

function requestCell(e) {
  const target = (e.path || '') + (e.query ? '?' + e.query : '');
  const text = [e.method, target || null].filter(Boolean).join(' ') || e.raw || '–';
  return el('span', { class: 'clip mono', title: e.raw || text },
    e.host ? el('span', { class: 'muted' }, e.host + ' ') : null, text);
}

function sourceText(e) {
  if (!e.source) return '–';
  return e.line != null && e.line >= 0 ? e.source + ':' + e.line : e.source;
}

function listOrDash(values) {
  return values && values.length ? el('span', { class: 'mono' }, values.join(', ')) : '–';
}

function notesList(notes) {
  return notes.length ? el('ul', { class: 'notes' }, notes.map((n) => el('li', null, n))) : null;
}

function num(v) {
  const n = typeof v === 'string' ? Number(v) : v;
  return Number.isFinite(n) ? n : null;
}

function pct(n, max) {
  return (max ? Math.max(2, Math.round(100 * n / max)) : 0) + '%';
}

function statusColor(code) {
  const c = Number(code);
  if (c >= 500) return '#a855f7';
  if (c >= 400) return '#ef4444';
  if (c >= 300) return '#eab308';
  return '#22c55e';
}
