import { aheadAt, type QueueGlance } from '../../domain/admission/queue-glance.js';
import type { AdmissionNews } from '../ports/admission-news.js';
import type { AdmissionQueue, MemberPlace } from '../ports/admission-queue.js';

/** What a glance can tell of a member the process knows: still waiting (and where), or the queue closed. */
export type KnownPlace = Extract<MemberPlace, { state: 'waiting'; preQueue: false } | { state: 'closed' }>;

/** A known member's place and the glance that placed them (its `served` dates the places taken). */
export interface Told {
  place: KnownPlace;
  glance: QueueGlance;
}

export interface PlacesOptions {
  /** A member's ticket is read from the queue again after this long, whatever the glances say. */
  verifyMs?: number;
  /** Members remembered per show at most (the oldest are forgotten first: they are asked again). */
  maxMembers?: number;
}

/** A show's glance as this process took it: when it was asked for and the highest ticket it covers. */
interface Sighting {
  at: number;
  upTo: number;
  glance: Promise<QueueGlance>;
}

class ShowPlaces {
  readonly tickets = new Map<string, { ticket: number; knownAt: number }>();
  upTo = 0;
  latest: Sighting | undefined;
}

/**
 * Where this process's waiting members stand without a look-up of their own: the ticket a member
 * was last given here (join or status; the proxy sends a member to the same process) and the
 * show's latest glance, taken at most once a period per show however many poll. A ticket the
 * glance cannot place (served past it, given up), a glance older than a period or not reaching the
 * ticket, an admitted or pre-queue member, or an entry older than `verifyMs`: undefined, ask the queue.
 */
export class QueuePlaces {
  private readonly shows = new Map<string, ShowPlaces>();
  private readonly verifyMs: number;
  private readonly maxMembers: number;

  constructor(
    private readonly queue: AdmissionQueue,
    private readonly periodMs: number,
    news?: AdmissionNews,
    options: PlacesOptions = {},
  ) {
    this.verifyMs = options.verifyMs ?? 30_000;
    this.maxMembers = options.maxMembers ?? 200_000;
    // admitted anywhere: their next answer comes from the queue (it renews the lease)
    news?.listen(({ showId, memberIds }) => memberIds.forEach((memberId) => this.forget(showId, memberId)));
  }

  /** What the queue just told (or did for) the member: a waiting ticket is kept, anything else forgotten. */
  remember(showId: string, memberId: string, place: MemberPlace, now: number): void {
    if (place.state === 'closed') return; // says nothing of the member's ticket
    if (place.state !== 'waiting' || place.preQueue) return this.forget(showId, memberId);
    for (const [id, places] of this.shows) this.sweep(id, places, now);
    let show = this.shows.get(showId);
    if (!show) this.shows.set(showId, (show = new ShowPlaces()));
    show.tickets.delete(memberId);
    if (show.tickets.size >= this.maxMembers) show.tickets.delete(show.tickets.keys().next().value!);
    show.tickets.set(memberId, { ticket: place.ticket, knownAt: now });
    if (place.ticket > show.upTo) show.upTo = place.ticket;
  }

  /** The members of a show this process remembers, oldest first. */
  remembered(showId: string): string[] {
    return [...(this.shows.get(showId)?.tickets.keys() ?? [])];
  }

  forget(showId: string, memberId: string): void {
    this.shows.get(showId)?.tickets.delete(memberId);
  }

  /** A glance this process took anyway (the queue watch's tick), asked for at `at`, leavers up to `upTo`. */
  offer(showId: string, glance: QueueGlance, at: number, upTo: number): void {
    const show = this.shows.get(showId);
    if (!show || (show.latest && show.latest.at >= at)) return;
    show.latest = { at, upTo, glance: Promise.resolve(glance) };
  }

  /** The member's place by the show's glance (waiting or closed), or undefined: ask the queue. */
  async place(showId: string, memberId: string, now: number): Promise<Told | undefined> {
    const show = this.shows.get(showId);
    const known = show?.tickets.get(memberId);
    if (!show || !known || now - known.knownAt >= this.verifyMs) return undefined;
    let glance: QueueGlance;
    try {
      glance = await this.glance(showId, show, known.ticket, now);
    } catch {
      return undefined; // the member's own look-up fails (or answers) as it would have
    }
    if (glance.phase === 'closed') return { place: { state: 'closed', reason: glance.reason }, glance };
    if (glance.phase === 'absent') {
      this.shows.delete(showId);
      return undefined;
    }
    const ahead = aheadAt(known.ticket, glance);
    if (ahead === undefined || glance.phase === 'prequeue') {
      show.tickets.delete(memberId);
      return undefined;
    }
    return { place: { state: 'waiting', preQueue: false, ticket: known.ticket, ahead }, glance };
  }

  /** Forgets tickets too old to be told (kept in the order they were learnt: stops at the first fresh one); an empty show goes. */
  private sweep(showId: string, show: ShowPlaces, now: number): void {
    for (const [memberId, { knownAt }] of show.tickets) {
      if (now - knownAt < this.verifyMs) break;
      show.tickets.delete(memberId);
    }
    if (show.tickets.size === 0) this.shows.delete(showId);
  }

  /** The latest glance if asked for less than a period ago and reaching `ticket`; else a new one, shared. */
  private glance(showId: string, show: ShowPlaces, ticket: number, now: number): Promise<QueueGlance> {
    const seen = show.latest;
    if (seen && now - seen.at < this.periodMs && seen.upTo >= ticket) return seen.glance;
    this.sweep(showId, show, now);
    const sighting: Sighting = { at: now, upTo: show.upTo, glance: this.queue.glance(showId, show.upTo) };
    show.latest = sighting;
    sighting.glance.catch(() => show.latest === sighting && (show.latest = undefined));
    return sighting.glance;
  }
}
