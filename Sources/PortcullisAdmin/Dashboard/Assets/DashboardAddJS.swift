/// `add.js`: the "Add a certificate" tabs: PEM in four fields (pasted or read from a file), PFX with a
/// password (read as base64 in the page), Let's Encrypt (through `orders.js`) and self-signed. A refused
/// import shows the importer's sentence next to the field it is about.
enum DashboardAddJS {
    static let text = #"""
import {h, show, flashNext, field} from './dom.js';
import {put, certPath} from './api.js';
import {letsEncryptForm} from './orders.js';

const TABS = [['pem', 'Upload PEM'], ['pfx', 'Upload PFX'], ['acme', "Let's Encrypt"], ['self-signed', 'Self-signed']];
const PEM_FIELDS = [
  ['pem-certificate', 'Public Certificate', 'certificate', 'The leaf certificate, PEM (-----BEGIN CERTIFICATE-----).'],
  ['pem-intermediate', 'Intermediate Certificate', 'chain', 'Optional: the intermediate certificate(s) that signed it.'],
  ['pem-ca-bundle', 'CA Bundle', 'ca_bundle', 'Optional: the CA bundle, used to order and check the chain.'],
  ['pem-private-key', 'Private Key', 'private_key', 'PEM private key matching the certificate. It stays on this server.'],
];

export function showAdd(tab) {
  if (!TABS.some(([id]) => id === tab)) tab = 'pem';
  const tablist = h('div', {className: 'tabs', role: 'tablist', 'aria-label': 'Kind of certificate'},
    TABS.map(([id, title]) => h('button', {type: 'button', role: 'tab', id: 'tab-' + id, 'aria-selected': String(id === tab),
      'aria-controls': 'tab-panel', tabindex: id === tab ? '0' : '-1', onclick: () => { location.hash = '#/add/' + id; },
      onkeydown: (e) => moveTab(e, id)}, title)));
  const forms = {pem: pemForm, pfx: pfxForm, acme: letsEncryptForm, 'self-signed': selfSignedForm};
  show(h('h1', {}, 'Add a certificate'), tablist,
    h('div', {role: 'tabpanel', id: 'tab-panel', 'aria-labelledby': 'tab-' + tab}, forms[tab]()));
}

function moveTab(event, id) {
  const index = TABS.findIndex(([t]) => t === id);
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
  if (!step) return;
  const next = TABS[(index + step + TABS.length) % TABS.length][0];
  location.hash = '#/add/' + next;
  setTimeout(() => document.getElementById('tab-' + next)?.focus(), 50);
}

const nameField = (id) => field(id, 'Name', h('input', {type: 'text', id, name: 'name', required: true,
  pattern: '[A-Za-z0-9._-]+', 'aria-describedby': id + '-hint', autocomplete: 'off'}),
  'The store name, e.g. shop.example.com (letters, digits, dot, dash, underscore).');

// A textarea plus a file picker that fills it.
function pemField([id, label, , hint]) {
  const area = h('textarea', {id, name: id, spellcheck: 'false', 'aria-describedby': id + '-hint'});
  const picker = h('input', {type: 'file', id: id + '-file', accept: '.pem,.crt,.cer,.key,.txt',
    'aria-label': label + ' from a file', onchange: async (e) => { const f = e.target.files[0]; if (f) area.value = await f.text(); }});
  return field(id, label, h('div', {}, area, h('div', {className: 'hint'}, 'or pick a file: ', picker)), hint);
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

// Which field an importer sentence is about, from the problem's own pointer or from its words.
function fieldFor(problem, message, ids) {
  const pointer = problem.field || problem.pointer || (problem.errors && problem.errors[0] && problem.errors[0].pointer) || '';
  const text = (pointer + ' ' + message).toLowerCase();
  const rules = [[/password|mac verify|pkcs ?#?12 .*decrypt/, 'password'], [/private[ _]key|key does not match|\bkey\b/, 'private_key'],
    [/ca[ _]bundle/, 'ca_bundle'], [/intermediate|chain/, 'chain'], [/pfx|pkcs/, 'pfx'], [/domain|san/, 'domains'], [/name/, 'name']];
  for (const [re, key] of rules) if (re.test(text) && ids[key]) return ids[key];
  return ids.default;
}

// PUTs `body` and shows the result: off to the table on success, the sentence by its field on refusal.
async function submit(form, name, body, ids) {
  clearErrors(form);
  const button = form.querySelector('button[type=submit]');
  const summary = form.querySelector('.error-box');
  button.disabled = true;
  summary.textContent = '';
  try {
    const cert = await put(certPath(name), body);
    flashNext((cert && cert.name ? cert.name : name) + ' saved' + (cert && cert.status ? ': ' + cert.status : '') + '.');
    location.hash = '#/certificates';
  } catch (e) {
    if (e.status === 401) return;
    const id = fieldFor(e.problem || {}, e.message, ids);
    const target = document.getElementById(id + '-error');
    if (target) { target.textContent = e.message; document.getElementById(id)?.setAttribute('aria-invalid', 'true'); }
    summary.textContent = 'Not saved (' + (e.problem.title || 'HTTP ' + e.status) + '): ' + e.message;
    document.getElementById(id)?.focus();
  } finally { button.disabled = false; }
}

const formShell = (id, fields, submitText, onsubmit) => h('form', {id, novalidate: true, onsubmit: (e) => { e.preventDefault(); onsubmit(e.target); }},
  fields, h('div', {className: 'error-box', role: 'alert'}), h('div', {className: 'actions'}, h('button', {type: 'submit'}, submitText)));

function pemForm() {
  const force = h('label', {}, h('input', {type: 'checkbox', id: 'pem-force'}), ' Accept an expired or not-yet-valid certificate (force)');
  return formShell('pem-form', [nameField('pem-name'), PEM_FIELDS.map(pemField), force], 'Upload certificate', (form) => {
    const value = (id) => document.getElementById(id).value.trim();
    const body = {certificate: value('pem-certificate'), private_key: value('pem-private-key')};
    if (value('pem-intermediate')) body.chain = value('pem-intermediate');
    if (value('pem-ca-bundle')) body.ca_bundle = value('pem-ca-bundle');
    if (document.getElementById('pem-force').checked) body.force = true;
    const ids = {certificate: 'pem-certificate', chain: 'pem-intermediate', ca_bundle: 'pem-ca-bundle',
      private_key: 'pem-private-key', name: 'pem-name', default: 'pem-certificate'};
    return submit(form, value('pem-name'), body, ids);
  });
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function pfxForm() {
  const file = field('pfx-file', 'PFX / PKCS#12 file', h('input', {type: 'file', id: 'pfx-file', accept: '.pfx,.p12'}));
  const password = field('pfx-password', 'Password', h('input', {type: 'password', id: 'pfx-password', autocomplete: 'off'}));
  return formShell('pfx-form', [nameField('pfx-name'), file, password], 'Upload PFX', async (form) => {
    const picked = document.getElementById('pfx-file').files[0];
    const ids = {pfx: 'pfx-file', password: 'pfx-password', private_key: 'pfx-file', name: 'pfx-name', default: 'pfx-file'};
    if (!picked) { document.getElementById('pfx-file-error').textContent = 'Pick a .pfx or .p12 file.'; return; }
    const body = {pfx: base64(await picked.arrayBuffer()), password: document.getElementById('pfx-password').value};
    return submit(form, document.getElementById('pfx-name').value.trim(), body, ids);
  });
}

function selfSignedForm() {
  const keyType = h('select', {id: 'ss-key-type'}, ['ec256', 'ec384', 'rsa2048', 'rsa3072', 'rsa4096'].map((k) => h('option', {value: k}, k)));
  return formShell('ss-form', [nameField('ss-name'),
    field('ss-domains', 'Domains', h('input', {type: 'text', id: 'ss-domains', 'aria-describedby': 'ss-domains-hint'}), 'Comma or space separated, e.g. example.com, *.example.com'),
    field('ss-key-type', 'Key type', keyType),
    field('ss-days', 'Valid for (days)', h('input', {type: 'number', id: 'ss-days', min: '1', max: '3650', value: '365'}))],
  'Generate certificate', (form) => {
    const domains = document.getElementById('ss-domains').value.split(/[\s,]+/).filter(Boolean);
    const body = {self_signed: {domains, key_type: keyType.value, days: Number(document.getElementById('ss-days').value) || 365}};
    return submit(form, document.getElementById('ss-name').value.trim(), body, {domains: 'ss-domains', name: 'ss-name', default: 'ss-domains'});
  });
}
"""#
}
