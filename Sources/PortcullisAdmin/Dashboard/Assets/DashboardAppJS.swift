/// `app.js`: the entry module: sign-in (the token asked once, or taken from the one-time link's
/// fragment and scrubbed from the address bar), sign-out, the hash router and the events page.
enum DashboardAppJS {
    static let text = #"""
import {h, show, flash, takeFlash, field} from './dom.js';
import {get, login, logout, restoreSession, setUnauthorizedHandler} from './api.js';
import {showCertificates, stopCertificates} from './certs.js';
import {showDetail} from './detail.js';
import {showAdd} from './add.js';
import {showOrders, showOrder, stopOrders} from './orders.js';
import {showPolicies} from './policies.js';
import {showEvents, stopEvents} from './events.js';

let signedIn = false;

function setSignedIn(value) {
  signedIn = value;
  document.getElementById('nav').hidden = !value;
}

function showSignIn(message) {
  stopCertificates(); stopOrders(); stopEvents();
  setSignedIn(false);
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'current-password', required: true,
    'aria-describedby': 'token-hint'});
  const error = h('div', {className: 'error-box', role: 'alert', id: 'signin-error'}, message || '');
  const form = h('form', {id: 'signin-form', onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = '';
    form.querySelector('button').disabled = true;
    try { await login(input.value.trim()); input.value = ''; await afterSignIn(); }
    catch (err) { error.textContent = err.message; input.focus(); }
    finally { form.querySelector('button').disabled = false; }
  }}, h('input', {type: 'text', name: 'username', autocomplete: 'username', value: 'admin', hidden: true, 'aria-hidden': 'true'}),
  field('token', 'Admin token', input, 'The contents of admin.token in the state directory. It is asked once; the browser then keeps an HttpOnly session cookie.'),
  error, h('div', {className: 'actions'}, h('button', {type: 'submit'}, 'Sign in')));
  show(h('h1', {}, 'Sign in'), form);
  input.focus();
}

async function afterSignIn() {
  setSignedIn(true);
  if (!location.hash || location.hash === '#/' || location.hash.startsWith('#/signin')) location.hash = '#/certificates';
  else await route();
}

async function route() {
  stopCertificates(); stopOrders(); stopEvents();
  const [, page, ...rest] = (location.hash || '#/certificates').slice(1).split('/');
  const arg = decodeURIComponent(rest.join('/'));
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href').split('/')[1] === page);
    if (link.hasAttribute('aria-current')) link.setAttribute('aria-current', 'page');
  }
  if (!signedIn) return;
  switch (page) {
    case 'certificate': return showDetail(arg);
    case 'add': return showAdd(arg);
    case 'orders': return showOrders();
    case 'order': return showOrder(arg);
    case 'policies': return showPolicies();
    case 'events': return showEvents();
    default: return showCertificates();
  }
}

// `#signin=<token>`: trade it for a session; true when the address held such a link.
function signInFromLink() {
  const match = location.hash.match(/^#\/?signin=([0-9A-Za-z_-]+)$/);
  if (!match) return false;
  history.replaceState(null, '', location.pathname + '#/certificates');
  login(match[1]).then(afterSignIn, (e) => showSignIn(e.message));
  return true;
}

// The one-time link from `make run` carries the token in the fragment, which never reaches a server
// log; it is exchanged for a session and removed from the address bar and history at once.
async function start() {
  setUnauthorizedHandler(() => showSignIn('Your session has ended. Sign in again.'));
  document.getElementById('signout').addEventListener('click', async () => {
    try { await logout(); } catch (e) { /* the session is gone either way */ }
    flash('Signed out.');
    showSignIn();
  });
  window.addEventListener('hashchange', () => { flash(takeFlash()); if (!signInFromLink()) route(); });
  if (signInFromLink()) return;
  try { await restoreSession(); } catch (e) { return showSignIn(e.status === 401 ? '' : e.message); }
  await afterSignIn();
}

start();
"""#
}
