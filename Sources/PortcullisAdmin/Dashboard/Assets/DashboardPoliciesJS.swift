/// `policies.js`: which policy each site and listener enforces, the catalogue, and a side-by-side diff
/// of two policies (members only on one side and changed values highlighted).
enum DashboardPoliciesJS {
    static let text = #"""
import {h, show, clear} from './dom.js';
import {get} from './api.js';

const listOf = (data, key) => Array.isArray(data) ? data : (data && data[key]) || [];
const policyName = (p) => typeof p === 'string' ? p : p.name;

export async function showPolicies() {
  show(h('h1', {}, 'Policies'), h('p', {}, 'Loading…'));
  let policies, sites;
  try {
    [policies, sites] = await Promise.all([get('/api/v1/policies'), get('/api/v1/sites').catch(() => [])]);
  } catch (e) {
    if (e.status !== 401) show(h('h1', {}, 'Policies'), h('div', {className: 'error-box', role: 'alert'}, e.message));
    return;
  }
  const names = listOf(policies, 'policies').map(policyName);
  const left = h('select', {id: 'diff-left'}, names.map((n) => h('option', {value: n}, n)));
  const right = h('select', {id: 'diff-right'}, names.map((n) => h('option', {value: n}, n)));
  if (names.length > 1) right.value = names[1];
  const output = h('div', {id: 'diff-output', 'aria-live': 'polite'});
  show(h('h1', {}, 'Policies'), h('h2', {}, 'In force'), inForce(listOf(sites, 'sites')),
    h('h2', {}, 'Compare two policies'),
    h('form', {className: 'toolbar', onsubmit: (e) => { e.preventDefault(); diff(left.value, right.value, output); }},
      h('div', {}, h('label', {for: 'diff-left'}, 'Left'), left), h('div', {}, h('label', {for: 'diff-right'}, 'Right'), right),
      h('div', {}, h('button', {type: 'submit', id: 'diff-run'}, 'Show differences'))), output,
    h('h2', {}, 'Catalogue'), catalogue(listOf(policies, 'policies')));
}

function inForce(sites) {
  if (sites.length === 0) return h('p', {}, 'No sites.');
  return h('div', {className: 'table-wrap'}, h('table', {id: 'sites'},
    h('thead', {}, h('tr', {}, ['Site', 'Policy', 'Certificate', 'Listeners'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, sites.map((s) => h('tr', {}, h('td', {}, (s.hosts || []).join(', ')), h('td', {}, s.policy || 'default'),
      h('td', {}, s.certificate || (s.certificates || []).join(', ') || '—'),
      h('td', {}, (s.listeners || []).map((l) => typeof l === 'string' ? l : (l.bind + (l.policy ? ' (' + l.policy + ')' : ''))).join(', ') || '—'))))));
}

function catalogue(policies) {
  return h('div', {className: 'table-wrap'}, h('table', {id: 'catalogue'},
    h('thead', {}, h('tr', {}, ['Name', 'Versions', 'Source'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, policies.map((p) => typeof p === 'string' ? h('tr', {}, h('td', {}, p), h('td', {}, ''), h('td', {}, ''))
      : h('tr', {}, h('td', {}, p.name), h('td', {}, [].concat(p.versions || [p.min_version, p.max_version].filter(Boolean)).join(', ')), h('td', {}, p.source || ''))))));
}

const flat = (value) => Array.isArray(value) ? value.map(String) : (value && typeof value === 'object' ? JSON.stringify(value) : String(value ?? ''));

async function diff(a, b, output) {
  clear(output);
  let left, right;
  try { [left, right] = await Promise.all([get('/api/v1/policies/' + encodeURIComponent(a)), get('/api/v1/policies/' + encodeURIComponent(b))]); }
  catch (e) { output.append(h('div', {className: 'error-box', role: 'alert'}, e.message)); return; }
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((k) => k !== 'name');
  const rows = keys.map((key) => {
    const x = flat(left[key]), y = flat(right[key]);
    if (Array.isArray(x) || Array.isArray(y)) {
      const xs = [].concat(x), ys = [].concat(y);
      const cell = (items, other, cls) => h('td', {}, h('ul', {}, items.map((i) => h('li', {className: other.includes(i) ? '' : cls}, i))));
      return h('tr', {className: JSON.stringify(xs) === JSON.stringify(ys) ? '' : 'changed'}, h('th', {scope: 'row'}, key),
        cell(xs, ys, 'diff-only-left'), cell(ys, xs, 'diff-only-right'));
    }
    const changed = x !== y;
    return h('tr', {className: changed ? 'diff-changed changed' : ''}, h('th', {scope: 'row'}, key), h('td', {}, x), h('td', {}, y));
  });
  output.append(h('p', {className: 'hint'}, 'Highlighted: only in one policy, or different.'),
    h('div', {className: 'table-wrap'}, h('table', {id: 'diff'}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Setting'),
      h('th', {scope: 'col'}, a), h('th', {scope: 'col'}, b))), h('tbody', {}, rows))));
}
"""#
}
