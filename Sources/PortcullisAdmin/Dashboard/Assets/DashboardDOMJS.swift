/// `dom.js`: building DOM nodes without `innerHTML` (so names from certificates can never become markup),
/// the check-circle icon, the flash line and dates.
enum DashboardDOMJS {
    static let text = #"""
const SVG = 'http://www.w3.org/2000/svg';

// h('button', {type: 'button', onclick: f}, 'text', child): attributes, `on…` listeners, children.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'className') el.className = value;
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

// Replaces the page content and moves focus to it, so keyboard and screen-reader users follow.
export function show(...children) {
  const main = clear(document.getElementById('main'));
  append(main, children);
  const heading = main.querySelector('h1');
  if (heading) document.title = heading.textContent + ' · Portcullis';
  return main;
}

// A message for the page the next navigation shows (the router clears the line on every hash change).
let pending = null;
export function flashNext(message) { pending = message; }
export function takeFlash() { const message = pending || ''; pending = null; return message; }

export function flash(message, isError) {
  const el = document.getElementById('flash');
  el.className = isError ? 'error' : '';
  el.textContent = message || '';
}

// A check-circle drawn inline (no image request, allowed by the CSP), with its meaning as a title.
export function checkCircle(label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'deployed-icon');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  const circle = document.createElementNS(SVG, 'circle');
  for (const [k, v] of [['cx', 12], ['cy', 12], ['r', 10], ['fill', 'currentColor']]) circle.setAttribute(k, v);
  const tick = document.createElementNS(SVG, 'path');
  for (const [k, v] of [['d', 'M7 12.5l3.2 3.2L17 9'], ['fill', 'none'], ['stroke', '#fff'], ['stroke-width', 2.4],
    ['stroke-linecap', 'round'], ['stroke-linejoin', 'round']]) tick.setAttribute(k, v);
  svg.append(title, circle, tick);
  return svg;
}

export function formatDate(text) {
  if (!text) return '—';
  const date = new Date(text);
  if (isNaN(date)) return text;
  return date.toISOString().slice(0, 10);
}

export function formatTime(seconds) {
  const date = typeof seconds === 'number' ? new Date(seconds * 1000) : new Date(seconds);
  if (isNaN(date)) return String(seconds);
  return date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function field(id, labelText, control, hint) {
  return h('div', {className: 'field'},
    h('label', {for: id}, labelText),
    hint ? h('p', {className: 'hint', id: id + '-hint'}, hint) : null,
    control,
    h('p', {className: 'field-error', id: id + '-error', 'aria-live': 'polite'}));
}
"""#
}
