// Pieces the views share: page frame with an error banner, cards, filter controls, IP links.

import { el, replace } from '../dom.js';

/** A page: heading, optional subtitle and tools, an error banner, then the body. */
export function page(title, subtitle, ...body) {
  const banner = el('div', { class: 'banner banner-error', role: 'alert', hidden: true });
  const sub = el('p', { class: 'page-sub' }, subtitle || '');
  const element = el('section', { class: 'page' },
    el('div', { class: 'page-head' }, el('h1', null, title), sub), banner, body);
  return {
    element,
    subtitle: sub,
    showError(err) {
      replace(banner, 'Could not load: ' + err.message + (err.status ? ' (HTTP ' + err.status + ')' : ''));
      banner.hidden = false;
    },
    clearError() {
      banner.hidden = true;
    },
  };
}

/** A titled panel. tools go right of the title. */
export function card(title, options, ...body) {
  const { tools, cls, id } = options || {};
  return el('section', { class: 'card' + (cls ? ' ' + cls : ''), id, 'aria-label': title },
    el('header', { class: 'card-head' }, el('h2', null, title), tools || null),
    el('div', { class: 'card-body' }, body));
}

/** A labelled select with an "any" first option; onChange(value or ''). */
export function choice(label, values, onChange, anyLabel = 'Any') {
  const id = 'f-' + label.toLowerCase().replace(/[^a-z]+/g, '-');
  const select = el('select', { id, name: id },
    el('option', { value: '' }, anyLabel), values.map((v) => el('option', { value: v }, v)));
  select.addEventListener('change', () => onChange(select.value));
  return { element: el('div', { class: 'field' }, el('label', { for: id }, label), select), input: select };
}

/** A labelled search box; onChange fires 250 ms after typing stops. */
export function searchBox(label, placeholder, onChange) {
  const id = 'f-' + label.toLowerCase().replace(/[^a-z]+/g, '-');
  const input = el('input', { id, name: id, type: 'search', placeholder, autocomplete: 'off', spellcheck: 'false' });
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(input.value.trim()), 250);
  });
  return { element: el('div', { class: 'field field-grow' }, el('label', { for: id }, label), input), input };
}

/** A link to an IP's threat profile. */
export function ipLink(ip, attrs = {}) {
  return el('a', { class: 'ip', href: '#/ip/' + encodeURIComponent(ip), ...attrs }, ip);
}

/** A key/value list (dl) from [label, value] pairs; values are nodes or text. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v ?? '–')]));
}
