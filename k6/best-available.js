// Best available against hand-picking, for k6: a crowd of parties (1–6 seats, most often 2; 80 %
// wanting the best section, the rest the second price or less) buys a reserved show. With
// MODE=best-available (the default) a party asks `POST /holds {quantity, section | maxPrice}`,
// widens to any section when refused there and takes `together: "preferred"` when nothing is left
// side by side; with MODE=hand-picking it reads the seat map, goes for one of the five best blocks
// of adjacent free seats, and goes back to the map when someone took them first (409). Run both
// on fresh seeds of the same size and compare `bookings`, `conflicts_taken` (409s for seats taken
// first) and `parties_together`. At the end every member's reservations are read back: nothing
// may be sold twice. `npm run load -- best-available` is the same comparison, with a table.
//
//   npm run cli -- seed --members 1000 --show reserved --seats 1000 --orphan-seats refuse --out data/seed.json
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e SEED_FILE=../data/seed.json -e MODE=best-available k6/best-available.js
//
// MODE (best-available | hand-picking), VUS (default 100), DURATION (default 30s), SHOW_KIND (default reserved).
import { check, sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SEED_FILE = __ENV.SEED_FILE || '../data/seed.json';
const SHOW_KIND = __ENV.SHOW_KIND || 'reserved';
const MODE = __ENV.MODE || 'best-available';
const SIZES = [1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 6];

const members = new SharedArray('members', () => JSON.parse(open(SEED_FILE)).members);
const show = new SharedArray('show', () => {
  const seed = JSON.parse(open(SEED_FILE));
  const found = seed.shows.find((s) => s.kind === SHOW_KIND) || seed.shows[0];
  return [{ id: found.id, capacity: found.capacity }];
})[0];

const bookings = new Counter('bookings');
const conflictsTaken = new Counter('conflicts_taken');
const conflictsTold = new Counter('conflicts_told');
const together = new Rate('parties_together');
const serverErrors = new Counter('server_errors');
const oversold = new Counter('oversold');

// 409 (taken first, none left there, sold out) is an answer the sale expects, not a failed request.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  teardownTimeout: '120s',
  scenarios: {
    [MODE.replace('-', '_')]: { executor: 'constant-vus', vus: Number(__ENV.VUS || 100), duration: __ENV.DURATION || '30s' },
  },
  thresholds: {
    'http_req_duration{step:hold}': ['p(95)<1000'],
    'http_req_duration{step:confirm}': ['p(95)<1000'],
    http_req_failed: ['rate<0.01'],
    server_errors: ['count==0'],
    oversold: ['count==0'],
  },
};

function params(member, step) {
  return {
    headers: { Authorization: `Bearer ${member.accessToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': uuid() },
    tags: { step },
  };
}

function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function noteServerError(response) {
  if (response.status === 0 || response.status >= 500) serverErrors.add(1);
}

export function setup() {
  const res = http.get(`${BASE_URL}/api/shows/${show.id}`);
  check(res, { 'the show exists': (r) => r.status === 200 });
  const sections = ((res.json('seating') || {}).sections || []).map((s) => ({ id: s.id, price: s.price }));
  return { sections };
}

// Sits side by side: one row, consecutive numbers (the seeded halls have no aisles).
function sideBySide(seats) {
  const parts = seats.map((id) => /^(.+)-(\d+)-(\d+)$/.exec(id));
  const row = (p) => `${p[1]}-${p[2]}`;
  if (parts.some((p) => !p || row(p) !== row(parts[0]))) return false;
  const numbers = parts.map((p) => Number(p[3])).sort((a, b) => a - b);
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
}

function confirm(member, hold) {
  const res = http.post(`${BASE_URL}/api/holds/${hold.json('holdId')}/confirm`, null, params(member, 'confirm'));
  noteServerError(res);
  if (!check(res, { confirmed: (r) => r.status === 201 })) return false;
  bookings.add(1);
  together.add(sideBySide(res.json('seats') || []));
  return true;
}

function bestAvailable(member, size, wish) {
  const request = Object.assign({ quantity: size }, wish);
  for (let attempt = 0; attempt < 8; attempt++) {
    const hold = http.post(`${BASE_URL}/api/shows/${show.id}/holds`, JSON.stringify(request), params(member, 'hold'));
    noteServerError(hold);
    if (hold.status === 201) return confirm(member, hold);
    if (hold.status !== 409) return false;
    const body = hold.json();
    if (Array.isArray(body.seats)) conflictsTaken.add(1);
    else conflictsTold.add(1);
    if (request.section || request.maxPrice) {
      delete request.section;
      delete request.maxPrice;
    } else if (body.code === 'BOOKING.NOT_TOGETHER') request.together = 'preferred';
    else {
      if (body.available === 0) sleep(1); // sold out: the virtual user idles until the run ends
      return false;
    }
  }
  return false;
}

// The five best blocks of `size` adjacent free seats in the wanted sections (else anywhere), best first.
function blocks(map, size, wanted) {
  const found = [];
  for (const section of map.sections || []) {
    if (wanted && !wanted.includes(section.id)) continue;
    section.rows.forEach((row, r) => {
      const middle = (row.length + 1) / 2;
      for (let start = 0; start + size <= row.length; start++) {
        if (row.slice(start, start + size) !== 'a'.repeat(size)) continue;
        const seats = [];
        let score = 0;
        for (let n = start + 1; n <= start + size; n++) {
          seats.push(`${section.id}-${r + 1}-${n}`);
          score += 1000 * r + Math.abs(n - middle);
        }
        found.push({ seats, score });
      }
    });
    if (found.length > 0) break;
  }
  return found.sort((a, b) => a.score - b.score).slice(0, 5);
}

function handPick(member, size, wanted) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const map = http.get(`${BASE_URL}/api/shows/${show.id}/seats`, { tags: { step: 'seats' } });
    noteServerError(map);
    if (map.status !== 200) continue;
    const body = map.json();
    const free = (body.sections || []).reduce((sum, s) => sum + (s.available || 0), 0);
    if (free === 0) {
      sleep(1); // sold out: the virtual user idles until the run ends
      return false;
    }
    let choices = blocks(body, size, wanted);
    if (choices.length === 0) choices = blocks(body, size, undefined);
    if (choices.length === 0) return false;
    let seats = choices[Math.floor(Math.random() * choices.length)].seats;
    let hold = http.post(`${BASE_URL}/api/shows/${show.id}/holds`, JSON.stringify({ seats }), params(member, 'hold'));
    if (hold.status === 409 && hold.json('code') === 'BOOKING.ORPHAN_SEAT' && hold.json('suggestion')) {
      conflictsTaken.add(1);
      seats = hold.json('suggestion');
      hold = http.post(`${BASE_URL}/api/shows/${show.id}/holds`, JSON.stringify({ seats }), params(member, 'hold'));
    }
    noteServerError(hold);
    if (hold.status === 201) return confirm(member, hold);
    if (hold.status !== 409) return false;
    conflictsTaken.add(1);
  }
  return false;
}

export default function (data) {
  const member = members[exec.scenario.iterationInTest % members.length];
  const size = SIZES[Math.floor(Math.random() * SIZES.length)];
  const wantsBest = Math.random() < 0.8;
  const sections = data.sections;
  const best = sections[0] && sections[0].id;
  const cheaper = sections.length > 1 ? sections[1].price : undefined;
  if (MODE === 'hand-picking') {
    const wanted = wantsBest || cheaper === undefined ? [best] : sections.filter((s) => s.price <= cheaper).map((s) => s.id);
    handPick(member, size, wanted);
  } else {
    bestAvailable(member, size, wantsBest || cheaper === undefined ? { section: best } : { maxPrice: cheaper });
  }
}

// Reads back every member's reservations for the show: no seat twice, no more than capacity.
export function teardown() {
  const seen = {};
  let tickets = 0;
  for (let i = 0; i < members.length; i += 50) {
    const batch = members
      .slice(i, i + 50)
      .map((m) => ['GET', `${BASE_URL}/api/members/me/reservations`, null, { headers: { Authorization: `Bearer ${m.accessToken}` } }]);
    for (const res of http.batch(batch)) {
      if (res.status !== 200) continue;
      const body = res.json();
      const list = Array.isArray(body) ? body : body.reservations || body.items || [];
      for (const reservation of list) {
        if ((reservation.showId && reservation.showId !== show.id) || reservation.status === 'cancelled') continue;
        const seats = reservation.seats || [];
        tickets += seats.length;
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
