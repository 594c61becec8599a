// A data table: sortable column headers (buttons, aria-sort), rows that open with a click or
// Enter and move with the arrow keys, an empty-state row, and a pager. Cells are built by each
// column's render function from DOM nodes or text, never from HTML strings.

import { el, replace } from './dom.js';
import { count } from './format.js';

/**
 * @param {object} options
 *   columns: [{key, label, render(item) → Node|string, sort?(item) → comparable (or true with
 *             onSort), numeric?, descendingFirst?, width?}]
 *   rowKey(item) → string    identifies a row across refreshes (focus is kept on it)
 *   rowLabel?(item) → string the row's accessible name when it opens something
 *   onOpen?(item)            Enter or click on a row
 *   onSort?(key, ascending)  sorting is the server's (over all pages): called instead of sorting
 *                            the rows here; initialSort {key, ascending} marks the server's order
 *   empty: string            what an empty table says
 *   caption: string          the table's accessible name
 */
export class DataTable {
  constructor(options) {
    this.options = options;
    this.items = [];
    this.sortKey = null;
    this.sortDir = 1;
    this.headCells = new Map();
    const headRow = el('tr');
    for (const column of options.columns) {
      const th = el('th', { scope: 'col', class: column.numeric ? 'num' : null, style: column.width ? 'width:' + column.width : null });
      if (column.sort) {
        th.setAttribute('aria-sort', 'none');
        th.append(el('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(column.key) },
          column.label, el('span', { class: 'sort-mark', 'aria-hidden': 'true' })));
      } else {
        th.textContent = column.label;
      }
      this.headCells.set(column.key, th);
      headRow.append(th);
    }
    this.body = el('tbody');
    this.element = el('div', { class: 'table-wrap' },
      el('table', { class: 'data' + (options.onOpen ? ' openable' : '') },
        el('caption', { class: 'sr-only' }, options.caption || ''),
        el('thead', null, headRow), this.body));
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    if (options.initialSort) this.mark(options.initialSort.key, options.initialSort.ascending ? 1 : -1);
  }

  sortBy(key) {
    const column = this.column(key);
    const dir = this.sortKey === key ? -this.sortDir : (column.descendingFirst ? -1 : 1);
    this.mark(key, dir);
    if (this.options.onSort) this.options.onSort(key, dir > 0);
    else this.render();
  }

  mark(key, dir) {
    this.sortKey = key;
    this.sortDir = dir;
    for (const [k, th] of this.headCells) {
      if (th.hasAttribute('aria-sort')) {
        th.setAttribute('aria-sort', k !== key ? 'none' : dir > 0 ? 'ascending' : 'descending');
      }
    }
  }

  column(key) {
    return this.options.columns.find((c) => c.key === key);
  }

  /** Shows items (keeping the current sort and the focused row, if it is still there). */
  setRows(items) {
    this.items = items || [];
    this.render();
  }

  sorted() {
    if (!this.sortKey || this.options.onSort) return this.items;
    const value = this.column(this.sortKey).sort;
    const dir = this.sortDir;
    return [...this.items].sort((a, b) => {
      const x = value(a), y = value(b);
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
  }

  render() {
    const active = document.activeElement;
    const focusedKey = active && this.body.contains(active) ? active.closest('tr')?.dataset.key : null;
    const { columns, rowKey, onOpen, rowLabel } = this.options;
    const rows = this.sorted().map((item) => {
      const key = rowKey(item);
      const tr = el('tr', {
        class: this.options.rowClass ? this.options.rowClass(item) : null,
        dataset: { key },
        tabindex: onOpen ? '0' : null,
        'aria-label': onOpen && rowLabel ? rowLabel(item) : null,
      });
      for (const column of columns) {
        tr.append(el('td', { class: column.numeric ? 'num' : null }, column.render(item)));
      }
      if (onOpen) {
        tr.addEventListener('click', (e) => {
          if (e.target.closest('a, button, input, select')) return; // the control does its own thing
          onOpen(item);
        });
      }
      return tr;
    });
    if (rows.length === 0) {
      rows.push(el('tr', { class: 'empty' }, el('td', { colspan: columns.length }, this.options.empty || 'Nothing to show')));
    }
    replace(this.body, rows);
    if (focusedKey != null) {
      const again = [...this.body.rows].find((r) => r.dataset.key === focusedKey);
      if (again) again.focus({ preventScroll: true });
    }
  }

  onKey(e) {
    const tr = e.target.closest('tr');
    if (!tr || e.target !== tr) return;
    if (e.key === 'Enter' || e.key === ' ') {
      const item = this.sorted().find((i) => this.options.rowKey(i) === tr.dataset.key);
      if (item && this.options.onOpen) {
        e.preventDefault();
        this.options.onOpen(item);
      }
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
      if (next && next.tabIndex >= 0) {
        e.preventDefault();
        next.focus();
      }
    }
  }
}

/**
 * Previous/next paging with a page-size choice. onChange(offset, limit) is called when the user
 * moves; update(total, offset, count) after each answer.
 */
export class Pager {
  constructor(label, onChange, limit = 25) {
    this.offset = 0;
    this.limit = limit;
    this.total = 0;
    this.onChange = onChange;
    this.status = el('span', { class: 'pager-status', 'aria-live': 'polite' });
    this.prev = el('button', { type: 'button', class: 'btn btn-small', onclick: () => this.go(this.offset - this.limit) }, '‹ Previous');
    this.next = el('button', { type: 'button', class: 'btn btn-small', onclick: () => this.go(this.offset + this.limit) }, 'Next ›');
    const size = el('select', { 'aria-label': label + ': rows per page', class: 'select-small' },
      [25, 50, 100].map((n) => el('option', { value: n, selected: n === limit }, n + ' / page')));
    size.addEventListener('change', () => {
      this.limit = Number(size.value);
      this.go(0);
    });
    this.element = el('div', { class: 'pager', role: 'navigation', 'aria-label': label + ' pages' },
      this.status, size, this.prev, this.next);
  }

  go(offset) {
    this.offset = Math.max(0, offset);
    this.onChange(this.offset, this.limit);
  }

  /** Resets to the first page without calling onChange (filters changed). */
  reset() {
    this.offset = 0;
  }

  update(total, shown) {
    this.total = total;
    const first = shown ? this.offset + 1 : 0;
    this.status.textContent = total === 0 ? 'No rows' : count(first) + '–' + count(this.offset + shown) + ' of ' + count(total);
    this.prev.disabled = this.offset === 0;
    this.next.disabled = this.offset + shown >= total;
  }
}
