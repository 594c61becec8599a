// Building the page from data. Every value from the API (log lines, user agents, paths, feed
// errors: attacker-controlled) reaches the page as a text node or an attribute value set through
// the DOM. Nothing here, and nothing in the views, assigns innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. attrs: `class`, `text` (textContent), `on<event>` handlers, `dataset`,
 * any other attribute (true → present, null/false/undefined → absent). Children: nodes, strings
 * (as text), numbers, arrays of those; null and undefined are skipped.
 */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** Creates an SVG element, same conventions as {@link el}. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children (nodes, strings as text, arrays), skipping null and undefined. */
export function append(node, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces all children of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}
