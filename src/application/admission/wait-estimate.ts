/**
 * How long a member waits to be let in, from both what limits admission: the rate (admissions a
 * second) and the capacity (places taken, each given back only when its buyer is done or their lease
 * runs out). A range: `lowSeconds` if the buyers inside keep their places until their leases end now
 * and the next ones take the typical time; `highSeconds` if every place is held as long as allowed.
 */
export interface WaitInputs {
  /** People ahead of the member. */
  ahead: number;
  admitPerSecond: number;
  maxActive: number;
  /** When the places taken now end if their holders go quiet (epoch ms, any order). */
  leaseEnds: number[];
  now: number;
  /** Seconds a buyer keeps a place: typical (measured, or the hold lease) and the longest allowed. */
  sessionSeconds: { typical: number; longest: number };
}

export interface WaitEstimate {
  lowSeconds: number;
  highSeconds: number;
}

// Beyond this many admissions the queue has reached its steady pace: the rest is extrapolated.
const SIMULATED = 20_000;

/**
 * The time (seconds from now) of the n-th admission, for every n, when places free up at `frees`
 * (seconds from now, ascending) and every admitted buyer keeps their place `session` seconds. The
 * first `steps` admissions follow the simulation (`simulatedCurve`); later ones are extrapolated at
 * the steady pace.
 *
 * When no place frees up later than `session` from now (always so for the high curve, where every
 * taken place frees at `longest` = its session, and for the low one unless a lease ends further off
 * than the typical session), the simulation has a closed form, read in O(1) for any n after an
 * O(places) set-up: every place taken now is given back before any place a buyer admitted here
 * gives back (that one at least `session` from now), so the j-th admission (j = r + q·places,
 * 1 ≤ r ≤ places) takes place r on its (q+1)-th round:
 *   t(j) = max(j / rate, t(j − places) + session),  t(r) = max(frees[r − 1], r / rate),
 * and unrolled, the largest of frees[r − 1] + q·session, j / rate and r / rate + q·session. Each
 * process drew its shows' curves at 20,000 simulated steps (twice a curve) once a second and at
 * every change of the lease ends a join read: a per-process cost that grew with the workers.
 */
export function admissionCurve(rate: number, frees: number[], session: number, steps: number): (n: number) => number {
  const places = frees.length;
  if (places === 0 || !(frees[places - 1]! <= session)) return simulatedCurve(rate, frees, session, steps);
  const at = (j: number): number => {
    const q = Math.floor((j - 1) / places);
    const r = j - q * places;
    return Math.max(frees[r - 1]! + q * session, j / rate, r / rate + q * session);
  };
  const last = steps >= 1 ? at(steps) : 0;
  const pace = Math.min(rate, places / Math.max(session, 1e-9));
  return (n) => (n <= steps ? at(n) : last + (n - steps) / pace);
}

/** The admissions one by one: the reference for `admissionCurve`, and its way when a place frees up later than a session. */
export function simulatedCurve(rate: number, frees: number[], session: number, steps: number): (n: number) => number {
  const times = new Float64Array(steps);
  const again: number[] = []; // places given back by buyers admitted here, in time order
  let head = 0;
  let next = 0;
  let simulated = 0;
  for (let j = 1; j <= steps; j++) {
    const fromStart = next < frees.length ? frees[next]! : Infinity;
    const fromAgain = head < again.length ? again[head]! : Infinity;
    const free = Math.min(fromStart, fromAgain);
    if (free === Infinity) break;
    if (fromStart <= fromAgain) next++;
    else head++;
    const at = Math.max(free, j / rate);
    again.push(at + session);
    times[j - 1] = at;
    simulated = j;
  }
  const pace = Math.min(rate, frees.length / Math.max(session, 1e-9));
  return (n) => {
    if (n <= simulated) return times[n - 1]!;
    if (simulated < Math.min(n, steps)) return Infinity;
    return times[steps - 1]! + (n - steps) / pace;
  };
}

/**
 * Whole seconds, as members are told them: rounded up, but a time that floating point carried a
 * hair past a whole second (5619.000000001 for 5619, from a sum of thirds) stays that second.
 */
export function wholeSeconds(seconds: number): number {
  return Math.ceil(seconds - 1e-7 * Math.max(1, Math.abs(seconds)));
}

export function estimateWait(inputs: WaitInputs): WaitEstimate {
  return waitCurve(inputs, inputs.ahead)(inputs.ahead);
}

/** The wait of a member with `ahead` people ahead, asked `sinceSeconds` after the curve's `now`. */
export type WaitCurve = (ahead: number, sinceSeconds?: number) => WaitEstimate;

/**
 * The wait for any number ahead up to `maxAhead` (more: extrapolated), from one simulation: what a
 * process answers every member of a show it watches with, at the cost of one estimate.
 */
export function waitCurve(inputs: Omit<WaitInputs, 'ahead'>, maxAhead: number): WaitCurve {
  const { admitPerSecond: rate, maxActive, now } = inputs;
  if (rate <= 0 || maxActive <= 0) return () => ({ lowSeconds: Infinity, highSeconds: Infinity });
  const taken = inputs.leaseEnds.slice(0, maxActive).map((end) => Math.max(0, (end - now) / 1000));
  const open = Array.from({ length: Math.max(0, maxActive - taken.length) }, () => 0);
  const { typical, longest } = inputs.sessionSeconds;
  const steps = Math.min(maxAhead + 1, SIMULATED);
  const low = admissionCurve(rate, [...open, ...taken.sort((a, b) => a - b)], Math.min(typical, longest), steps);
  // At worst every place taken now is kept for the longest a place can be held.
  const high = admissionCurve(rate, [...open, ...taken.map(() => longest)], longest, steps);
  return (ahead, sinceSeconds = 0) => {
    const lowAt = low(ahead + 1) - sinceSeconds;
    return { lowSeconds: wholeSeconds(Math.max(0, lowAt)), highSeconds: wholeSeconds(Math.max(0, lowAt, high(ahead + 1) - sinceSeconds)) };
  };
}
