// The on-sale burst, for k6: N members join a show's waiting room at the same moment, wait for
// admission, and once admitted hold one ticket and confirm it. At the end every member's
// reservations are read back through the API: nothing may be sold twice or beyond capacity.
//
// k6 has no Server-Sent Events, so members here wait with a long poll: the join (and, if the wait
// runs out, GET /queue) carries `Prefer: wait=20`, and the server answers at admission. That is
// three requests a booking, as `npm run load -- flash-sale --wait long-poll`; the web client
// listens on GET /queue/events instead. WAIT=poll polls every POLL_SECONDS like an older client.
//
//   npm run cli -- seed --members 1000 --show general-queue --capacity 500 --out data/seed.json
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e SEED_FILE=../data/seed.json k6/flash-sale.js
//
// HOLD_AT_ADMISSION=1: the join asks for the ticket (`{hold}`) and an admitted join's answer carries
// the hold: two requests a booking (join, confirm); a `holdProblem` falls back to the usual hold.
//
// VUS (default: every seeded member), SHOW_KIND (default general-queue), WAIT (long-poll | poll), POLL_SECONDS (default 1),
// HOLD_AT_ADMISSION (default off).
import { check, sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SEED_FILE = __ENV.SEED_FILE || '../data/seed.json';
const SHOW_KIND = __ENV.SHOW_KIND || 'general-queue';
const POLL_SECONDS = Number(__ENV.POLL_SECONDS || 1);
const WAIT = __ENV.WAIT || 'long-poll';
const HOLD_AT_ADMISSION = ['1', 'true', 'yes'].includes(String(__ENV.HOLD_AT_ADMISSION || '').toLowerCase());

const members = new SharedArray('members', () => JSON.parse(open(SEED_FILE)).members);
const show = new SharedArray('show', () => {
  const seed = JSON.parse(open(SEED_FILE));
  const found = seed.shows.find((s) => s.kind === SHOW_KIND) || seed.shows[0];
  return [{ id: found.id, seating: found.seating, capacity: found.capacity, seats: found.seats }];
})[0];

const VUS = Number(__ENV.VUS || members.length);

const bookings = new Counter('bookings');
const serverErrors = new Counter('server_errors');
const oversold = new Counter('oversold');
const timeToAdmission = new Trend('time_to_admission', true);

// 409 (sold out, limit reached) is an answer the sale expects, not a failed request.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  setupTimeout: '60s',
  teardownTimeout: '120s',
  scenarios: {
    flash_sale: { executor: 'per-vu-iterations', vus: VUS, iterations: 1, maxDuration: '10m' },
  },
  thresholds: {
    // a long-polled join lasts until admission: waiting, not latency (see time_to_admission)
    'http_req_duration{step:poll}': ['p(95)<250'],
    'http_req_duration{step:hold}': ['p(95)<1000'],
    'http_req_duration{step:confirm}': ['p(95)<1000'],
    http_req_failed: ['rate<0.01'],
    server_errors: ['count==0'],
    oversold: ['count==0'],
    checks: ['rate>0.99'],
  },
};

function headers(member, extra) {
  return { headers: Object.assign({ Authorization: `Bearer ${member.accessToken}`, 'Content-Type': 'application/json' }, extra || {}) };
}

function params(member, step, extra) {
  const p = headers(member, extra);
  p.tags = { step };
  return p;
}

function noteServerError(response) {
  if (response.status === 0 || response.status >= 500) serverErrors.add(1);
}

function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function setup() {
  const res = http.get(`${BASE_URL}/api/shows/${show.id}`);
  check(res, { 'the show exists': (r) => r.status === 200 });
  // Everybody starts at the same instant, a few seconds from now.
  return { startAt: Date.now() + 3000 };
}

export default function (data) {
  const member = members[(exec.vu.idInTest - 1) % members.length];
  const wait = data.startAt - Date.now();
  if (wait > 0) sleep(wait / 1000);

  const queueUrl = `${BASE_URL}/api/shows/${show.id}/queue`;
  const joinedAt = Date.now();
  const longPoll = WAIT !== 'poll';
  const waitHeader = longPoll ? { Prefer: 'wait=20' } : {};
  const body =
    show.seating === 'general' ? { quantity: 1 } : { seats: [show.seats[(exec.scenario.iterationInTest * 7919) % show.seats.length]] };
  const joinBody = HOLD_AT_ADMISSION ? JSON.stringify({ hold: body }) : null;
  const join = http.post(queueUrl, joinBody, params(member, longPoll ? 'wait' : 'join', waitHeader));
  noteServerError(join);
  if (!check(join, { 'joined the queue': (r) => r.status >= 200 && r.status < 300 })) return;

  let state = join.json();
  // long poll: ask again at once and the server answers at admission; polling: a quarter of the
  // ETA, at least POLL_SECONDS, at most 3 s (an admission not heard of lapses after its 6 s first lease)
  while (state && state.state === 'waiting') {
    if (!longPoll) sleep(Math.min(Math.max(POLL_SECONDS, (state.etaSeconds || 0) / 4), 3));
    const poll = http.get(queueUrl, params(member, longPoll ? 'wait' : 'poll', waitHeader));
    noteServerError(poll);
    state = poll.status === 200 ? poll.json() : state;
  }
  if (!state || state.state !== 'admitted') {
    check(state, { 'closed only when sold out or sales closed': (s) => Boolean(s && s.state === 'closed') });
    return;
  }
  timeToAdmission.add(Date.now() - joinedAt);

  // the join's answer carried the hold (hold at admission): straight to the confirm
  let holdId = state.hold && state.hold.holdId;
  if (!holdId) {
    const hold = http.post(
      `${BASE_URL}/api/shows/${show.id}/holds`,
      JSON.stringify(body),
      params(member, 'hold', { 'Admission-Token': state.admissionToken, 'Idempotency-Key': uuid() }),
    );
    noteServerError(hold);
    if (hold.status !== 201) {
      check(hold, { 'a refused hold is a 409 with a code': (r) => r.status === 409 && Boolean(r.json('code')) });
      http.del(queueUrl, null, params(member, 'leave'));
      return;
    }
    holdId = hold.json('holdId');
  }
  const confirm = http.post(`${BASE_URL}/api/holds/${holdId}/confirm`, null, params(member, 'confirm', { 'Idempotency-Key': uuid() }));
  noteServerError(confirm);
  if (check(confirm, { confirmed: (r) => r.status === 201 })) bookings.add(1);
}

// Reads back every member's reservations for the show: no seat twice, no more than capacity.
export function teardown() {
  const seen = {};
  let tickets = 0;
  for (let i = 0; i < members.length; i += 50) {
    const batch = members.slice(i, i + 50).map((m) => ['GET', `${BASE_URL}/api/members/me/reservations`, null, headers(m)]);
    for (const res of http.batch(batch)) {
      if (res.status !== 200) continue;
      const body = res.json();
      const list = Array.isArray(body) ? body : body.reservations || body.items || [];
      for (const reservation of list) {
        if ((reservation.showId && reservation.showId !== show.id) || reservation.status === 'cancelled') continue;
        const seats = reservation.seats || [];
        tickets += seats.length || reservation.quantity || 0;
        for (const seat of seats) seen[seat] = (seen[seat] || 0) + 1;
      }
    }
  }
  let twice = 0;
  for (const seat in seen) if (seen[seat] > 1) twice += seen[seat] - 1;
  const over = Math.max(0, tickets - show.capacity) + twice;
  oversold.add(over);
  check(over, { 'nothing oversold': (n) => n === 0 });
  console.log(`reservations read back: ${tickets} tickets of ${show.capacity}, ${twice} seats sold twice`);
  if (over > 0) exec.test.abort(`oversold by ${over}`);
}
