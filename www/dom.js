// The demo's DOM helpers: elements from createElement/textContent only, so nothing from the form,
// the SDK or the server ever becomes HTML.

/** `h('p', { className: 'x', 'data-testid': 'y' }, 'text', child…)`: strings become text nodes. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role') node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** Korean text with its English beside it. */
export const bi = (ko, en) => [ko, ' ', h('span', { className: 'en' }, en)];

/** A `<dl>` of the rows that have a value; each `<dd>` is `data-testid=PREFIX+key`. */
export function list(rows, prefix = 'result-') {
  const dl = h('dl', { className: 'facts' });
  for (const [label, value, key] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(h('dt', {}, label), h('dd', { 'data-testid': `${prefix}${key}` }, String(value)));
  }
  return dl;
}
