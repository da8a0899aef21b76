/// `certs.js`: the certificates page: the status table (sortable, filtered by status and source, searched
/// by domain), the alert for certificates that need the operator, and a poll that redraws it within
/// about a second of any change, whoever made it (API, CLI, ACME, a file dropped in the store).
enum DashboardCertsJS {
    static let text = #"""
import {h, show, clear, checkCircle, formatDate} from './dom.js';
import {get} from './api.js';
import {badge, reason, sourceName, STATUSES, SOURCES, NEEDS_ACTION} from './status.js';

const COLUMNS = [
  ['domains', 'Domain(s)', (c) => (c.domains || []).join(', ')],
  ['name', 'Name', (c) => c.name],
  ['source', 'Source', (c) => sourceName(c.source)],
  ['subject_cn', 'Subject CN', (c) => c.subject_cn],
  ['issuer', 'Issuer', (c) => c.issuer],
  ['key_type', 'Key type', (c) => c.key_type],
  ['not_before', 'Issued on', (c) => c.not_before],
  ['not_after', 'Expires on', (c) => c.not_after],
  ['days_left', 'Days left', (c) => Number(c.days_left)],
  ['status', 'Status', (c) => c.status],
  ['deployed', 'Deployed', (c) => (c.deployed || []).length],
];
const POLL_MS = 1000;
const state = {sortKey: 'not_after', ascending: true, status: '', source: '', search: '', timer: 0, last: '',
  certs: [], sites: []};

export function stopCertificates() { clearTimeout(state.timer); state.timer = 0; }

export async function showCertificates() {
  stopCertificates();
  const body = h('div', {id: 'cert-table', 'aria-live': 'polite'}, h('p', {}, 'Loading certificates…'));
  const error = h('div', {className: 'error-box', role: 'alert', id: 'certs-error'});
  show(h('h1', {}, 'Certificates'), toolbar(), h('div', {id: 'cert-alert'}), error, body,
    h('p', {className: 'actions'}, h('a', {className: 'button', href: '#/add/pem'}, 'Add certificate')));
  state.last = '';
  await refresh(body, error);
}

function toolbar() {
  const statusSelect = h('select', {id: 'filter-status', onchange: (e) => { state.status = e.target.value; redraw(); }},
    h('option', {value: ''}, 'All statuses'), STATUSES.map((s) => h('option', {value: s}, s)));
  const sourceSelect = h('select', {id: 'filter-source', onchange: (e) => { state.source = e.target.value; redraw(); }},
    h('option', {value: ''}, 'All sources'), Object.entries(SOURCES).map(([v, t]) => h('option', {value: v}, t)));
  const search = h('input', {type: 'search', id: 'search', placeholder: 'example.com',
    oninput: (e) => { state.search = e.target.value.trim().toLowerCase(); redraw(); }});
  statusSelect.value = state.status; sourceSelect.value = state.source; search.value = state.search;
  return h('div', {className: 'toolbar', role: 'search'},
    h('div', {}, h('label', {for: 'search'}, 'Search by domain'), search),
    h('div', {}, h('label', {for: 'filter-status'}, 'Status'), statusSelect),
    h('div', {}, h('label', {for: 'filter-source'}, 'Source'), sourceSelect));
}

async function refresh(body, error) {
  if (!document.body.contains(body)) return;
  try {
    const [certs, sites] = await Promise.all([get('/api/v1/certificates'), get('/api/v1/sites').catch(() => [])]);
    error.textContent = '';
    const key = JSON.stringify([certs, sites]);
    if (key !== state.last) {
      state.last = key;
      state.certs = Array.isArray(certs) ? certs : (certs.certificates || []);
      state.sites = Array.isArray(sites) ? sites : (sites.sites || []);
      redraw();
    }
  } catch (e) {
    if (e.status === 401) return;
    error.textContent = 'Could not load the certificates: ' + e.message;
  }
  state.timer = setTimeout(() => refresh(body, error), POLL_MS);
}

function visibleRows() {
  const column = COLUMNS.find((c) => c[0] === state.sortKey) || COLUMNS[7];
  const rows = state.certs.filter((c) =>
    (!state.status || c.status === state.status) && (!state.source || c.source === state.source) &&
    (!state.search || (c.domains || []).concat([c.name]).some((d) => d.toLowerCase().includes(state.search))));
  rows.sort((a, b) => {
    const x = column[2](a), y = column[2](b);
    const order = typeof x === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return state.ascending ? order : -order;
  });
  return rows;
}

function redraw() {
  const body = document.getElementById('cert-table');
  if (!body) return;
  drawAlert();
  clear(body);
  if (state.certs.length === 0) { body.append(h('p', {}, 'No certificates yet.')); return; }
  const rows = visibleRows();
  const head = h('tr', {}, COLUMNS.map(([key, title]) => h('th', {scope: 'col',
    'aria-sort': key === state.sortKey ? (state.ascending ? 'ascending' : 'descending') : 'none'},
    h('button', {type: 'button', className: 'sort', onclick: () => sortBy(key)}, title))));
  body.append(h('div', {className: 'table-wrap'}, h('table', {className: 'cards', id: 'certificates'},
    h('caption', {className: 'hint'}, rows.length + ' of ' + state.certs.length + ' certificates'),
    h('thead', {}, head), h('tbody', {}, rows.map(row)))));
}

function sortBy(key) {
  if (state.sortKey === key) state.ascending = !state.ascending; else { state.sortKey = key; state.ascending = true; }
  redraw();
  document.querySelector('th[aria-sort]:not([aria-sort=none]) button')?.focus();
}

function row(cert) {
  const deployed = cert.deployed || [];
  const href = '#/certificate/' + encodeURIComponent(cert.name);
  const cells = [
    (cert.domains || []).join(', ') || '—',
    h('a', {href}, cert.name),
    sourceName(cert.source), cert.subject_cn || '—', cert.issuer || '—', cert.key_type || '—',
    formatDate(cert.not_before), formatDate(cert.not_after), String(cert.days_left ?? '—'),
    badge(cert, state.sites),
    deployed.length ? h('span', {title: deployed.join(', '), className: 'deployed'}, checkCircle('Deployed: ' + deployed.join(', ')))
      : h('span', {className: 'hint', title: 'Not deployed'}, '—'),
  ];
  return h('tr', {'data-name': cert.name}, cells.map((cell, i) =>
    h('td', {'data-label': COLUMNS[i][1], 'data-column': COLUMNS[i][0], className: i === 8 ? 'num' : ''}, cell)));
}

function drawAlert() {
  const box = clear(document.getElementById('cert-alert'));
  const urgent = state.certs.filter((c) => NEEDS_ACTION.has(c.status));
  if (urgent.length === 0) return;
  box.append(h('div', {className: 'alert', role: 'alert'},
    h('strong', {}, urgent.length === 1 ? '1 certificate needs attention' : urgent.length + ' certificates need attention'),
    h('ul', {}, urgent.map((c) => h('li', {}, h('a', {href: '#/certificate/' + encodeURIComponent(c.name)}, c.name),
      ': ' + reason(c, state.sites))))));
}
"""#
}
