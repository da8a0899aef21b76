/// `detail.js`: one certificate: names, dates, the chain (subject, issuer, validity, SHA-256 of each),
/// where it is deployed, and the actions: rollback to the previous version, download the chain, renew
/// (ACME), delete (showing the 409 sentence while a site uses it, with a forced delete after that).
enum DashboardDetailJS {
    static let text = #"""
import {h, show, flash, flashNext, checkCircle, formatDate} from './dom.js';
import {get, post, del, certPath} from './api.js';
import {badge, sourceName} from './status.js';
import {describeChain} from './x509.js';

export async function showDetail(name) {
  show(h('h1', {}, name), h('p', {}, 'Loading…'));
  let cert, sites = [];
  try {
    [cert, sites] = await Promise.all([get(certPath(name)), get('/api/v1/sites').catch(() => [])]);
  } catch (e) {
    if (e.status !== 401) show(h('h1', {}, name), h('div', {className: 'error-box', role: 'alert'}, e.message),
      h('a', {href: '#/certificates'}, 'Back to certificates'));
    return;
  }
  const chain = Array.isArray(cert.chain) && cert.chain.length ? cert.chain : await describeChain(cert.chain_pem);
  const result = h('div', {className: 'error-box', role: 'alert', id: 'detail-error'});
  show(h('p', {}, h('a', {href: '#/certificates'}, '\u2190 Certificates')),
    h('h1', {}, cert.name), h('p', {}, badge(cert, sites)), result,
    facts(cert), actions(cert, result),
    h('h2', {}, 'Chain'), chainList(chain),
    h('h2', {}, 'Public chain (PEM)'), h('pre', {className: 'mono panel', id: 'chain-pem'}, cert.chain_pem || '—'));
}

function facts(cert) {
  const deployed = cert.deployed || [];
  const rows = [
    ['Domains (SANs)', (cert.domains || []).join(', ') || '—'],
    ['Source', sourceName(cert.source)], ['Subject CN', cert.subject_cn || '—'], ['Issuer', cert.issuer || '—'],
    ['Key type', cert.key_type || '—'], ['Issued on', formatDate(cert.not_before)],
    ['Expires on', formatDate(cert.not_after)], ['Days left', String(cert.days_left ?? '—')],
    ['Serial', cert.serial || '—'], ['SHA-256', cert.fingerprint_sha256 || '—'],
    ['Deployed', deployed.length ? h('span', {}, checkCircle('Deployed'), ' ', deployed.join(', ')) : 'not deployed'],
    ['Previous version', cert.previous ? 'yes: rollback available' : 'none'],
  ];
  return h('dl', {className: 'facts'}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function chainList(chain) {
  if (!chain.length) return h('p', {}, 'No certificates in the chain.');
  return h('ol', {className: 'chain', id: 'chain'}, chain.map((c, i) => h('li', {},
    h('strong', {}, i === 0 ? 'Leaf: ' : 'Intermediate: ', c.subject),
    h('dl', {className: 'facts'},
      h('dt', {}, 'Issuer'), h('dd', {}, c.issuer),
      h('dt', {}, 'Valid'), h('dd', {}, (c.notBefore || c.not_before || '') + ' \u2192 ' + (c.notAfter || c.not_after || '')),
      h('dt', {}, 'SHA-256'), h('dd', {className: 'mono'}, c.sha256 || c.fingerprint_sha256 || '')))));
}

// Runs an action, shows the API's sentence on failure, and reports what happened.
async function act(button, result, work) {
  button.disabled = true;
  result.textContent = '';
  try { await work(); } catch (e) { if (e.status !== 401) result.textContent = e.message; return e; }
  finally { button.disabled = false; }
  return null;
}

function actions(cert, result) {
  const path = certPath(cert.name);
  const items = [h('a', {className: 'button secondary', id: 'download-chain', href: path + '/chain.pem',
    download: cert.name + '-chain.pem'}, 'Download chain (.pem)')];
  const rollback = h('button', {type: 'button', id: 'rollback', disabled: !cert.previous, onclick: () =>
    act(rollback, result, async () => { await post(path + '/rollback'); flash('Rolled back ' + cert.name + ' to the previous version.'); await showDetail(cert.name); })},
    'Rollback to previous version');
  items.push(rollback);
  if (cert.source === 'acme') {
    const renew = h('button', {type: 'button', id: 'renew', onclick: () =>
      act(renew, result, async () => { await post(path + '/renew'); flash('Renewal of ' + cert.name + ' started.'); })}, 'Renew now');
    items.push(renew);
  }
  const remove = h('button', {type: 'button', className: 'danger', id: 'delete', onclick: () => confirmDelete(cert, result, remove)}, 'Delete');
  items.push(remove);
  return h('div', {className: 'actions'}, items);
}

function confirmDelete(cert, result, button) {
  const box = h('div', {className: 'panel', role: 'group', 'aria-label': 'Confirm delete'});
  const go = (force) => act(button, result, async () => {
    await del(certPath(cert.name) + (force ? '?force=true' : ''));
    flashNext('Deleted ' + cert.name + '.');
    location.hash = '#/certificates';
  }).then((error) => {
    if (error && error.status === 409 && !box.querySelector('#delete-force')) {
      box.append(h('button', {type: 'button', className: 'danger', id: 'delete-force', onclick: () => go(true)}, 'Delete anyway (sites fall back to the default certificate)'));
    }
  });
  box.append(h('p', {}, 'Delete ' + cert.name + '? The current version is kept as the rollback target.'),
    h('button', {type: 'button', className: 'danger', id: 'delete-confirm', onclick: () => go(false)}, 'Delete'), ' ',
    h('button', {type: 'button', className: 'secondary', onclick: () => box.remove()}, 'Cancel'));
  button.parentElement.after(box);
  box.querySelector('#delete-confirm').focus();
}
"""#
}
