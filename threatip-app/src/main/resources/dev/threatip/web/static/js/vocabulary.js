// DESIGN.md §2 vocabulary, shown verbatim (the same words as the JSON, config and docs), and
// the badges that show it. Class names come from this fixed list, never from data.

import { el } from './dom.js';

export const CATEGORIES = ['network_attack', 'exploit', 'web_attack', 'brute_force', 'network_proxy',
  'scanner', 'account_takeover', 'malicious_bot'];
export const CONFIDENCES = ['high', 'moderate', 'general'];
export const LEVELS = ['high', 'medium', 'low'];
export const VERDICTS = ['malicious', 'suspicious', 'clean'];
/** The gateway's actions that make a hit (allow is never logged), strongest first. */
export const ACTIONS = ['block', 'managed_challenge', 'js_challenge', 'monitor'];
export const SOURCES = ['behavior', 'intel', 'gateway'];

/** Chart colours per word, matching the badge colours in dashboard.css. */
export const COLORS = {
  high: '#ef4444', medium: '#f97316', moderate: '#f97316', low: '#eab308', general: '#64748b',
  malicious: '#ef4444', suspicious: '#f59e0b', clean: '#22c55e',
};

function known(value, list) {
  return list.includes(value) ? value : 'unknown';
}

export function verdictBadge(verdict) {
  return el('span', { class: 'badge verdict-' + known(verdict, VERDICTS) }, verdict || 'unknown');
}

export function levelBadge(level) {
  if (!level) return el('span', { class: 'badge level-none' }, 'none');
  return el('span', { class: 'badge level-' + known(level, LEVELS) }, level);
}

export function confidenceBadge(confidence) {
  return el('span', { class: 'badge conf-' + known(confidence, CONFIDENCES) }, confidence || 'unknown');
}

/** What the gateway did: "block", or "block · not enforced" when monitor mode let it pass. */
export function actionBadge(action, enforced = true) {
  if (!action) return el('span', { class: 'muted' }, '–');
  const badge = el('span', { class: 'badge act-' + known(action, ACTIONS) }, action);
  if (enforced !== false) return badge;
  badge.classList.add('act-unenforced');
  badge.title = 'monitor mode: logged, the request passed';
  return el('span', { class: 'act-wrap' }, badge, el('span', { class: 'act-note' }, 'not enforced'));
}

/** A category tag with its confidence: "scanner · high". */
export function categoryTag(c) {
  return el('span', {
    class: 'tag conf-' + known(c.confidence, CONFIDENCES),
    title: c.category + ' at ' + c.confidence + ' confidence' + (c.source ? ' (' + c.source + ')' : ''),
  }, c.category, el('span', { class: 'tag-conf' }, c.confidence));
}
