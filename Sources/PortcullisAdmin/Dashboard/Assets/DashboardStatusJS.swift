/// `status.js`: a certificate's status as a coloured badge with the reason in words, the source's name,
/// and which statuses need the operator (the alert above the table).
enum DashboardStatusJS {
    static let text = #"""
import {h} from './dom.js';

export const SOURCES = {acme: "Let's Encrypt", user: 'User provided', 'self-signed': 'Self-signed'};
export const STATUSES = ['valid', 'expiring', 'expired', 'not-yet-valid', 'name-mismatch', 'chain-incomplete',
  'pending', 'failed'];
const TONES = {valid: 'ok', expiring: 'warn', expired: 'bad', 'not-yet-valid': 'muted', 'name-mismatch': 'bad',
  'chain-incomplete': 'bad', pending: 'info', failed: 'bad'};
// Statuses that need the operator: shown in the alert above the table.
export const NEEDS_ACTION = new Set(['expired', 'expiring', 'name-mismatch', 'chain-incomplete', 'failed']);

export function sourceName(source) { return SOURCES[source] || source || '—'; }

const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');

// TLS wildcard rules: `*.example.com` covers exactly one label.
export function covers(domains, host) {
  const names = (domains || []).map((d) => d.toLowerCase());
  host = host.toLowerCase();
  if (names.includes(host)) return true;
  const dot = host.indexOf('.');
  return !host.startsWith('*.') && dot > 0 && names.includes('*' + host.slice(dot));
}

// Site hosts that use this certificate and are not covered by its names.
export function uncoveredHosts(cert, sites) {
  const hosts = [];
  for (const site of sites || []) {
    const names = [site.certificate, ...(site.certificates || [])].filter(Boolean);
    if (!names.includes(cert.name)) continue;
    for (const host of site.hosts || []) if (!covers(cert.domains, host)) hosts.push(host);
  }
  return hosts;
}

function nextAttempt(cert) {
  const at = cert.next_attempt || cert.nextAttempt;
  if (!at) return '';
  const date = new Date(typeof at === 'number' ? at * 1000 : at);
  return isNaN(date) ? '' : ', next attempt ' + date.toISOString().slice(11, 16) + ' UTC';
}

// The badge's sentence, as the issue spells them: "expired 3 days ago", "expires in 9 days", ….
export function reason(cert, sites) {
  const days = Number(cert.days_left);
  switch (cert.status) {
    case 'valid': return 'valid';
    case 'expiring': return days <= 0 ? 'expires today' : 'expires in ' + plural(days, 'day');
    case 'expired': return days >= 0 ? 'expired today' : 'expired ' + plural(-days, 'day') + ' ago';
    case 'not-yet-valid': return 'not yet valid: starts ' + String(cert.not_before || '').slice(0, 10);
    case 'name-mismatch': {
      const hosts = uncoveredHosts(cert, sites);
      if (hosts.length === 0) return 'name mismatch: a site host is not covered';
      return 'name mismatch: ' + hosts.join(', ') + (hosts.length === 1 ? ' is' : ' are') + ' not covered';
    }
    case 'chain-incomplete': return 'chain incomplete: intermediate missing';
    case 'pending': {
      const records = cert.records_to_create ?? cert.pending_records;
      return 'pending validation' + (records ? ': ' + plural(records, 'record') + ' to create' : '');
    }
    case 'failed': {
      const error = cert.error || cert.problem || 'the last ACME attempt failed';
      return 'failed: ' + (typeof error === 'object' ? (error.detail || JSON.stringify(error)) : error) + nextAttempt(cert);
    }
    default: return cert.status || 'unknown';
  }
}

export function badge(cert, sites) {
  const tone = TONES[cert.status] || 'muted';
  const text = reason(cert, sites);
  return h('span', {className: 'badge ' + tone, 'data-status': cert.status || ''},
    NEEDS_ACTION.has(cert.status) ? '\u26A0 ' : '', text);
}
"""#
}
