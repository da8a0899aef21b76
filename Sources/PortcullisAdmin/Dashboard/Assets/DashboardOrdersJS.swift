/// `orders.js`: Let's Encrypt in three steps, Order (domains and challenge) → Verify → Issue, on the
/// orders API (`/api/v1/orders`). Where the server has no orders API yet, the page says so and lists
/// the ACME certificates with their status and a Renew button instead.
enum DashboardOrdersJS {
    static let text = #"""
import {h, show, flash, field, formatTime, clear} from './dom.js';
import {get, post, del, certPath} from './api.js';
import {badge} from './status.js';

const CHALLENGES = [['http-01', 'HTTP (automatic)'], ['dns-01', 'DNS through the configured hook (automatic)'],
  ['dns-01-manual', 'DNS by hand (I create the TXT records)']];
let pollTimer = 0;
export function stopOrders() { clearTimeout(pollTimer); pollTimer = 0; }
const missing = (e) => e.status === 404 || e.status === 405 || e.status === 501;

export function letsEncryptForm() {
  const radios = h('fieldset', {}, h('legend', {}, 'Challenge'), CHALLENGES.map(([value, text], i) =>
    h('label', {className: 'radio'}, h('input', {type: 'radio', name: 'challenge', value, checked: i === 0}), ' ', text)));
  const error = h('div', {className: 'error-box', role: 'alert', id: 'order-error'});
  const form = h('form', {id: 'order-form', onsubmit: async (e) => {
    e.preventDefault();
    const name = document.getElementById('le-name').value.trim();
    const domains = document.getElementById('le-domains').value.split(/[\s,]+/).filter(Boolean);
    const challenge = form.querySelector('input[name=challenge]:checked').value;
    error.textContent = '';
    try {
      const order = await post('/api/v1/orders', {name: name || domains[0], domains, challenge});
      location.hash = '#/order/' + encodeURIComponent(order.id);
    } catch (err) {
      if (err.status === 401) return;
      error.textContent = missing(err) ? 'This server has no orders API yet: ACME certificates are ordered for sites with certificate = "acme" in proxy.conf. Their status is on the Orders page.' : err.message;
    }
  }},
  field('le-domains', 'Domains', h('input', {type: 'text', id: 'le-domains', required: true, 'aria-describedby': 'le-domains-hint'}),
    'Comma or space separated. A wildcard (*.example.com) needs a DNS challenge.'),
  field('le-name', 'Name (optional)', h('input', {type: 'text', id: 'le-name'}), 'Defaults to the first domain.'),
  radios, error, h('div', {className: 'actions'}, h('button', {type: 'submit'}, 'Order certificate')));
  return h('div', {}, h('p', {}, 'Step 1 of 3: Order. Then Verify the challenge, then the certificate is issued and deployed.'), form);
}

// The orders page: every order, or (without an orders API) the ACME certificates and Renew.
export async function showOrders() {
  stopOrders();
  show(h('h1', {}, 'Orders'), h('p', {}, 'Loading…'));
  try {
    const orders = await get('/api/v1/orders');
    const list = Array.isArray(orders) ? orders : (orders.orders || []);
    show(h('h1', {}, 'Orders'), h('p', {}, h('a', {className: 'button', href: '#/add/acme'}, "New Let's Encrypt order")),
      list.length === 0 ? h('p', {}, 'No orders.') : h('div', {className: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Order', 'Name', 'Domains', 'Challenge', 'Status', 'Validation window ends'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, list.map((o) => h('tr', {}, h('td', {}, h('a', {href: '#/order/' + encodeURIComponent(o.id)}, o.id)),
          h('td', {}, o.name), h('td', {}, (o.domains || []).join(', ')), h('td', {}, o.challenge), h('td', {}, o.status),
          h('td', {}, o.expires_at ? formatTime(o.expires_at) : '—')))))));
  } catch (e) {
    if (e.status === 401) return;
    if (!missing(e)) { show(h('h1', {}, 'Orders'), h('div', {className: 'error-box', role: 'alert'}, e.message)); return; }
    await showACMECertificates();
  }
}

async function showACMECertificates() {
  const certs = (await get('/api/v1/certificates')).filter((c) => c.source === 'acme');
  const result = h('div', {className: 'error-box', role: 'alert'});
  show(h('h1', {}, 'Orders'),
    h('p', {className: 'panel'}, 'This server has no orders API yet. ACME certificates are ordered for every site with certificate = "acme" in proxy.conf; below are their status (pending, failed with the CA\u2019s message, valid) and Renew.'),
    result, certs.length === 0 ? h('p', {}, 'No ACME certificates.') : h('div', {className: 'table-wrap'}, h('table', {id: 'orders-fallback'},
      h('thead', {}, h('tr', {}, ['Name', 'Domains', 'Status', 'Action'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, certs.map((c) => {
        const renew = h('button', {type: 'button', onclick: async () => {
          renew.disabled = true; result.textContent = '';
          try { await post(certPath(c.name) + '/renew'); flash('Renewal of ' + c.name + ' started.'); } catch (e) { result.textContent = e.message; }
          renew.disabled = false;
        }}, 'Renew now');
        return h('tr', {'data-name': c.name}, h('td', {}, h('a', {href: '#/certificate/' + encodeURIComponent(c.name)}, c.name)),
          h('td', {}, (c.domains || []).join(', ')), h('td', {}, badge(c, [])), h('td', {}, renew));
      })))));
}

function copyButton(value, label) {
  return h('button', {type: 'button', className: 'secondary', 'aria-label': 'Copy ' + label, onclick: async (e) => {
    try { await navigator.clipboard.writeText(value); e.target.textContent = 'Copied'; } catch (err) { e.target.textContent = 'Select and copy'; }
  }}, 'Copy');
}

function challengeView(c) {
  if (c.record_name) {
    return h('div', {className: 'panel'}, h('strong', {}, c.domain, ' \u2014 ', c.status),
      [['Name', c.record_name], ['Type', c.record_type || 'TXT'], ['Value', c.record_value]].map(([k, v]) =>
        h('div', {className: 'record'}, h('span', {}, k), h('code', {className: 'mono'}, v), copyButton(v, k + ' of ' + c.domain))));
  }
  return h('div', {className: 'panel'}, h('strong', {}, c.domain, ' \u2014 ', c.status), c.token_url ? h('p', {className: 'mono'}, c.token_url) : null);
}

// One order: the records to create, the deadline, Verify, and Re-order once the window has passed.
export async function showOrder(id) {
  stopOrders();
  let order;
  try { order = await get('/api/v1/orders/' + encodeURIComponent(id)); } catch (e) {
    if (e.status !== 401) show(h('h1', {}, 'Order ' + id), h('div', {className: 'error-box', role: 'alert'}, e.message));
    return;
  }
  const result = h('div', {className: 'error-box', role: 'alert', id: 'verify-result'});
  const verify = h('button', {type: 'button', id: 'verify', onclick: async () => {
    verify.disabled = true; result.textContent = '';
    try { await post('/api/v1/orders/' + encodeURIComponent(id) + '/verify'); flash('Verification started for ' + order.name + '.'); }
    catch (e) { result.textContent = e.message; }
    verify.disabled = false;
  }}, 'Verify');
  const reorder = h('button', {type: 'button', id: 'reorder', onclick: async () => {
    try { const next = await post('/api/v1/orders', {name: order.name, domains: order.domains, challenge: order.challenge});
      location.hash = '#/order/' + encodeURIComponent(next.id); } catch (e) { result.textContent = e.message; }
  }}, 'Re-order');
  const cancel = h('button', {type: 'button', className: 'secondary', onclick: async () => {
    try { await del('/api/v1/orders/' + encodeURIComponent(id)); location.hash = '#/orders'; } catch (e) { result.textContent = e.message; }
  }}, 'Cancel order');
  const step = order.status === 'valid' ? 3 : 2;
  show(h('p', {}, h('a', {href: '#/orders'}, '\u2190 Orders')), h('h1', {}, 'Order ' + order.name),
    h('p', {}, 'Step ' + step + ' of 3 \u00b7 status: ', h('strong', {id: 'order-status'}, order.status)),
    order.expires_at ? h('p', {}, 'Validation window ends ' + formatTime(order.expires_at)) : null,
    order.error ? h('div', {className: 'error-box'}, typeof order.error === 'object' ? (order.error.detail || JSON.stringify(order.error)) : order.error) : null,
    order.challenge === 'dns-01-manual' ? h('p', {}, 'Create these DNS records, wait for them to be visible, then press Verify.') : null,
    (order.challenges || []).map(challengeView), result,
    h('div', {className: 'actions'}, order.status === 'expired' || order.status === 'invalid' ? reorder : (order.status === 'valid' ? h('a', {className: 'button', href: '#/certificate/' + encodeURIComponent(order.name)}, 'View certificate') : verify), cancel));
  if (order.status !== 'valid' && order.status !== 'expired' && order.status !== 'invalid') {
    pollTimer = setTimeout(() => { if (location.hash === '#/order/' + encodeURIComponent(id)) refreshStatus(id, order.status); }, 2000);
  }
}

async function refreshStatus(id, seen) {
  try {
    const order = await get('/api/v1/orders/' + encodeURIComponent(id));
    if (order.status !== seen) return showOrder(id);
  } catch (e) { return; }
  pollTimer = setTimeout(() => { if (location.hash === '#/order/' + encodeURIComponent(id)) refreshStatus(id, seen); }, 2000);
}
"""#
}
