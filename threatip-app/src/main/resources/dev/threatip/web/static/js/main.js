// The dashboard shell: sign-in, hash routes, the time range and the auto-refresh loop.
// Routes: #/ (overview), #/ip/{ip} (threat profile), #/hits, #/feeds, #/alerts.

import * as api from './api.js';
import * as session from './session.js';
import { el, replace } from './dom.js';
import { time } from './format.js';
import { overview } from './views/overview.js';
import { profile } from './views/profile.js';
import { hits } from './views/hits.js';
import { feeds } from './views/feeds.js';
import { alerts } from './views/alerts.js';

const REFRESH_MS = 5000;
const RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };
const RANGE_KEY = 'threatip.range';

const $ = (id) => document.getElementById(id);
const main = $('view');

const state = {
  range: readRange(),
  paused: false,
  view: null,
  route: null,
  timer: null,
};

/** What views get: the time range and navigation. */
const context = {
  range() {
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[state.range]);
    return { from: from.toISOString(), to: to.toISOString(), key: state.range };
  },
  navigate(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  },
};

function readRange() {
  try {
    const r = sessionStorage.getItem(RANGE_KEY);
    return RANGES[r] ? r : '24h';
  } catch (e) {
    return '24h';
  }
}

// ---- sign-in ----

function showLogin(message) {
  stopView();
  $('topbar').hidden = true;
  main.hidden = true;
  $('login').hidden = false;
  $('login-message').textContent = message || '';
  const input = $('token');
  input.value = '';
  input.focus();
}

async function submitLogin(e) {
  e.preventDefault();
  const input = $('token');
  const value = input.value.trim();
  const message = $('login-message');
  if (!value) {
    message.textContent = 'Enter the admin token.';
    input.focus();
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  message.textContent = '';
  try {
    const r = context.range();
    await api.get('/api/v1/stats', { from: r.from, to: r.to }, value);
    session.signIn(value);
    showApp();
  } catch (err) {
    message.textContent = err.status === 401
      ? 'The server refused this token. Check DATA_DIR/admin.token and try again.'
      : 'Could not sign in: ' + err.message;
    input.select();
  } finally {
    button.disabled = false;
  }
}

function showApp() {
  $('login').hidden = true;
  $('topbar').hidden = false;
  main.hidden = false;
  route(true);
}

// ---- routes ----

function parseRoute() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const ip = hash.match(/^\/ip\/(.+)$/);
  if (ip) {
    let address;
    try {
      address = decodeURIComponent(ip[1]);
    } catch (e) {
      address = ip[1];
    }
    return { name: 'profile', make: () => profile(context, address) };
  }
  if (hash === '/hits') return { name: 'hits', make: () => hits(context) };
  if (hash === '/feeds') return { name: 'feeds', make: () => feeds(context) };
  if (hash === '/alerts') return { name: 'alerts', make: () => alerts(context) };
  if (hash === '/' || hash === '') return { name: 'overview', make: () => overview(context) };
  return { name: 'missing', make: () => missing(hash) };
}

function missing(hash) {
  return {
    element: el('section', { class: 'page' },
      el('h1', null, 'Not found'),
      el('p', null, 'There is no view at ', el('code', null, hash), '. ', el('a', { href: '#/' }, 'Back to the overview'), '.')),
    refresh: async () => {},
    dispose() {},
  };
}

function stopView() {
  if (state.view) state.view.dispose();
  state.view = null;
}

function route(focus = true) {
  if (!session.current()) {
    showLogin();
    return;
  }
  const next = parseRoute();
  stopView();
  state.route = next.name;
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.route === next.name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  state.view = next.make();
  replace(main, state.view.element);
  document.title = (state.view.title || 'Dashboard') + ' · threatip';
  if (focus) main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  refreshNow();
}

// ---- refresh ----

async function refreshNow() {
  const view = state.view;
  // one refresh per view at a time; a new view starts its own at once
  if (!view || view.busy) return;
  view.busy = true;
  try {
    await view.refresh();
    if (view === state.view) $('refresh-status').textContent = (state.paused ? 'Paused · ' : 'Updated ') + time(new Date().toISOString());
  } catch (err) {
    if (err.status !== 401 && view === state.view && view.showError) view.showError(err);
  } finally {
    view.busy = false;
  }
}

function tick() {
  if (!state.paused && !document.hidden && state.view && !$('topbar').hidden) refreshNow();
}

function setPaused(paused) {
  state.paused = paused;
  const button = $('refresh-toggle');
  button.textContent = paused ? 'Resume' : 'Pause';
  button.setAttribute('aria-pressed', String(paused));
  button.title = paused ? 'Auto-refresh is paused' : 'Auto-refresh every 5 s';
  $('refresh-status').textContent = paused ? 'Paused' : 'Auto-refresh on';
  if (!paused) refreshNow();
}

function setRange(key) {
  state.range = key;
  try {
    sessionStorage.setItem(RANGE_KEY, key);
  } catch (e) {
    // not kept across reloads
  }
  for (const b of document.querySelectorAll('#range button')) b.setAttribute('aria-pressed', String(b.dataset.range === key));
  refreshNow();
}

// ---- start ----

api.whenUnauthorized(() => showLogin('Your token was refused (401). Sign in again.'));
$('login-form').addEventListener('submit', submitLogin);
$('sign-out').addEventListener('click', () => {
  session.signOut();
  showLogin('Signed out.');
});
$('refresh-toggle').addEventListener('click', () => setPaused(!state.paused));
for (const b of document.querySelectorAll('#range button')) b.addEventListener('click', () => setRange(b.dataset.range));
setRange(state.range);
window.addEventListener('hashchange', () => route(true));
document.addEventListener('visibilitychange', tick);
state.timer = setInterval(tick, REFRESH_MS);

if (session.current()) showApp();
else showLogin();
