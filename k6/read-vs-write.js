// Browsing against booking, for k6: one group of virtual users reads the show list, a show and
// its (cached) seat map while another holds and confirms seats of the same show. The summary
// gives reads/s and bookings/s and their ratio; at the end the seat map and every member's
// reservations are checked through the API for overselling.
//
//   npm run cli -- seed --members 1000 --show reserved --seats 1000 --out data/seed.json
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e SEED_FILE=../data/seed.json k6/read-vs-write.js
//
// READERS (default 100), WRITERS (default 50), DURATION (default 30s), SHOW_KIND (default reserved).
import { check, sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SEED_FILE = __ENV.SEED_FILE || '../data/seed.json';
const SHOW_KIND = __ENV.SHOW_KIND || 'reserved';
const DURATION = __ENV.DURATION || '30s';

const members = new SharedArray('members', () => JSON.parse(open(SEED_FILE)).members);
const show = new SharedArray('show', () => {
  const seed = JSON.parse(open(SEED_FILE));
  const found = seed.shows.find((s) => s.kind === SHOW_KIND) || seed.shows[0];
  return [{ id: found.id, seating: found.seating, capacity: found.capacity, seats: found.seats }];
})[0];

const reads = new Counter('reads');
const bookings = new Counter('bookings');
const serverErrors = new Counter('server_errors');
const oversold = new Counter('oversold');

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  teardownTimeout: '120s',
  scenarios: {
    browse: { executor: 'constant-vus', vus: Number(__ENV.READERS || 100), duration: DURATION, exec: 'browse' },
    book: { executor: 'constant-vus', vus: Number(__ENV.WRITERS || 50), duration: DURATION, exec: 'book' },
  },
  thresholds: {
    'http_req_duration{scenario:browse}': ['p(95)<100'],
    'http_req_duration{scenario:book}': ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
    server_errors: ['count==0'],
    oversold: ['count==0'],
  },
};

function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function auth(member, extra) {
  return { headers: Object.assign({ Authorization: `Bearer ${member.accessToken}`, 'Content-Type': 'application/json' }, extra || {}) };
}

function count(response, counter) {
  if (response.status === 0 || response.status >= 500) serverErrors.add(1);
  else if (counter) counter.add(1);
}

export function browse() {
  count(http.get(`${BASE_URL}/api/shows`, { tags: { name: 'GET /api/shows' } }), reads);
  count(http.get(`${BASE_URL}/api/shows/${show.id}`, { tags: { name: 'GET /api/shows/:id' } }), reads);
  const seats = http.get(`${BASE_URL}/api/shows/${show.id}/seats`, { tags: { name: 'GET /api/shows/:id/seats' } });
  count(seats, reads);
  check(seats, { 'seat map answered': (r) => r.status === 200 });
  sleep(0.1);
}

export function book() {
  const member = members[(exec.vu.idInTest - 1 + exec.vu.iterationInScenario * 7919) % members.length];
  const body =
    show.seating === 'general' ? { quantity: 1 } : { seats: [show.seats[(exec.scenario.iterationInTest * 7919) % show.seats.length]] };
  const hold = http.post(
    `${BASE_URL}/api/shows/${show.id}/holds`,
    JSON.stringify(body),
    Object.assign(auth(member, { 'Idempotency-Key': uuid() }), { tags: { name: 'POST holds' } }),
  );
  count(hold);
  if (hold.status !== 201) {
    check(hold, { 'a refused hold is a 409 with a code': (r) => r.status === 409 && Boolean(r.json('code')) });
    return;
  }
  const confirm = http.post(
    `${BASE_URL}/api/holds/${hold.json('holdId')}/confirm`,
    null,
    Object.assign(auth(member, { 'Idempotency-Key': uuid() }), { tags: { name: 'POST confirm' } }),
  );
  count(confirm, confirm.status === 201 ? bookings : undefined);
}

// The seat map has one character per seat, by section and row; the legend names them.
function soldOnSeatMap(map) {
  const legend = (map && map.legend) || { s: 'sold' };
  const soldCode = Object.keys(legend).find((code) => legend[code] === 'sold');
  let sold = 0;
  for (const section of (map && map.sections) || []) {
    for (const row of section.rows || []) for (const code of row) if (code === soldCode) sold++;
  }
  return sold;
}

export function teardown() {
  const soldOnMap = soldOnSeatMap(http.get(`${BASE_URL}/api/shows/${show.id}/seats`).json());
  const seen = {};
  let tickets = 0;
  for (let i = 0; i < members.length; i += 50) {
    const batch = members.slice(i, i + 50).map((m) => ['GET', `${BASE_URL}/api/members/me/reservations`, null, auth(m)]);
    for (const res of http.batch(batch)) {
      if (res.status !== 200) continue;
      const body = res.json();
      for (const r of Array.isArray(body) ? body : body.reservations || body.items || []) {
        if ((r.showId && r.showId !== show.id) || r.status === 'cancelled') continue;
        tickets += (r.seats || []).length || r.quantity || 0;
        for (const seat of r.seats || []) seen[seat] = (seen[seat] || 0) + 1;
      }
    }
  }
  let twice = 0;
  for (const seat in seen) if (seen[seat] > 1) twice += seen[seat] - 1;
  const over = Math.max(0, tickets - show.capacity, soldOnMap - show.capacity) + twice;
  oversold.add(over);
  check(over, { 'nothing oversold': (n) => n === 0 });
  console.log(`seat map: ${soldOnMap} sold; reservations: ${tickets} tickets of ${show.capacity}; ${twice} seats twice`);
  if (over > 0) exec.test.abort(`oversold by ${over}`);
}

export function handleSummary(data) {
  const rate = (name) => (data.metrics[name] ? data.metrics[name].values.rate : 0);
  const p95 = (tag) => {
    const metric = data.metrics[`http_req_duration{scenario:${tag}}`];
    return metric ? metric.values['p(95)'].toFixed(1) : '–';
  };
  const readRate = rate('reads');
  const bookingRate = rate('bookings');
  const text = [
    `reads/s ${readRate.toFixed(0)} (p95 ${p95('browse')} ms), bookings/s ${bookingRate.toFixed(1)} (p95 ${p95('book')} ms)`,
    `read-to-write ratio ${bookingRate > 0 ? (readRate / bookingRate).toFixed(1) : '∞'} : 1`,
    `server errors ${data.metrics.server_errors ? data.metrics.server_errors.values.count : 0}, oversold ${data.metrics.oversold ? data.metrics.oversold.values.count : 0}`,
    '',
  ].join('\n');
  return { stdout: text, 'k6-read-vs-write.json': JSON.stringify(data, null, 2) };
}
