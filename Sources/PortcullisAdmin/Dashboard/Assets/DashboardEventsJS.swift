/// `events.js`: the control plane's latest events (import, swap, rollback, reload, expiry warning, ACME
/// step, failure), newest first, followed live with `GET /api/v1/events?after=SEQ`.
enum DashboardEventsJS {
    static let text = #"""
import {h, show, formatTime} from './dom.js';
import {get} from './api.js';

const POLL_MS = 2000;
let timer = 0;
export function stopEvents() { clearTimeout(timer); timer = 0; }

const eventRow = (ev) => h('tr', {'data-seq': String(ev.seq)}, h('td', {className: 'num'}, String(ev.seq)),
  h('td', {}, formatTime(ev.time)), h('td', {}, ev.kind), h('td', {}, ev.name), h('td', {}, ev.message));

export async function showEvents() {
  stopEvents();
  show(h('h1', {}, 'Events'), h('p', {}, 'Loading…'));
  let events;
  try { events = await get('/api/v1/events'); } catch (e) {
    if (e.status !== 401) show(h('h1', {}, 'Events'), h('div', {className: 'error-box', role: 'alert'}, e.message));
    return;
  }
  const body = h('tbody', {}, events.slice().reverse().map(eventRow));
  const empty = h('p', {id: 'no-events', hidden: events.length > 0}, 'No events yet.');
  show(h('h1', {}, 'Events'), h('p', {className: 'hint'}, 'The latest 1,000 control-plane events; new ones appear at the top.'),
    empty, h('div', {className: 'table-wrap'}, h('table', {id: 'events'},
      h('thead', {}, h('tr', {}, ['#', 'Time', 'Kind', 'Name', 'Message'].map((t) => h('th', {scope: 'col'}, t)))), body)));
  follow(body, empty, events.length ? events[events.length - 1].seq : 0);
}

function follow(body, empty, after) {
  timer = setTimeout(async () => {
    if (!document.body.contains(body)) return;
    try {
      const events = await get('/api/v1/events?after=' + after);
      for (const ev of events) { body.prepend(eventRow(ev)); after = Math.max(after, ev.seq); }
      if (events.length) empty.hidden = true;
    } catch (e) { if (e.status === 401) return; }
    follow(body, empty, after);
  }, POLL_MS);
}
"""#
}
