// How numbers, shares and times read on screen. Times show in the browser's zone; the title
// attribute (see timeCell) carries the exact UTC instant from the API.

import { el } from './dom.js';

const INTEGER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const TIME = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

export function count(n) {
  return n == null ? '–' : INTEGER.format(n);
}

export function compact(n) {
  return n == null ? '–' : n >= 10000 ? COMPACT.format(n) : INTEGER.format(n);
}

/** "1 hit", "3 hits", "0 entries". */
export function plural(n, one, many = one + 's') {
  return count(n) + ' ' + (n === 1 ? one : many);
}

/** part of whole as a percentage with one decimal ("0.0 %" when whole is 0). */
export function share(part, whole) {
  if (!whole) return '0.0 %';
  return (100 * part / whole).toFixed(part / whole < 0.001 && part > 0 ? 2 : 1) + ' %';
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : TIME.format(d);
}

/** "3 min ago", "2 h ago", "5 d ago" relative to now. */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const ms = now - new Date(iso).getTime();
  if (isNaN(ms)) return String(iso);
  if (ms < 0) return 'just now';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

/** A window in seconds as "90 s", "5 min", "1 h", "2 d". */
export function seconds(s) {
  if (s == null) return '–';
  if (s < 120) return s + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** A <time> element: local time shown, ISO instant in datetime and title. */
export function timeCell(iso) {
  return el('time', { datetime: iso, title: iso }, time(iso));
}

/** Flag-free country label: the ISO code, or "–". */
export function country(code) {
  return code ? String(code) : '–';
}

/** "AS64496 Example Net" from {number, org}, a number or a string. */
export function asn(a) {
  if (a == null) return '–';
  if (typeof a === 'object') {
    const num = a.number != null ? 'AS' + a.number : '';
    return [num, a.org].filter(Boolean).join(' ') || '–';
  }
  return typeof a === 'number' ? 'AS' + a : String(a);
}
