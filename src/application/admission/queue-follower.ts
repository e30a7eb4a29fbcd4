import { DomainError } from '../../domain/shared/domain-error.js';
import type { MemberPlace } from '../ports/admission-queue.js';
import type { QueueView } from './queue-view.js';
import type { ShowMoments } from './show-moments.js';
import type { PlaceListener } from './watcher.js';

/** Where a follower's events go (an SSE response): events, comments, the end. */
export interface QueueSink {
  event(name: string, data: unknown): void;
  comment(text: string): void;
  end(): void;
}

export interface FollowerOptions {
  /** Admitted members get a fresh token this often (tokens are short-lived). */
  tokenRefreshMs: number;
  heartbeatMs?: number;
}

/**
 * One member's event stream: `position` when place or ETA change (as often as the watch tells it),
 * `admitted` (again when the token is due), then `closed`, `gone` or `unavailable` to end. Plain
 * fields only: the watch's timer drives it; views come from the show's shared moment.
 */
export class QueueFollower implements PlaceListener {
  private last = '';
  private tokenSentAt = 0;
  private quietSince: number;
  private pending: { place: MemberPlace; now: number } | undefined;
  private busy = false;
  private ended = false;

  constructor(
    private readonly sink: QueueSink,
    private readonly moments: ShowMoments,
    private readonly showId: string,
    private readonly memberId: string,
    private readonly options: FollowerOptions,
    first: QueueView,
    now: number,
  ) {
    this.quietSince = now;
    this.show(first, now);
  }

  place(place: MemberPlace, now: number): void {
    this.pending = { place, now };
    if (!this.busy) void this.flush();
  }

  failed(error: unknown): void {
    if (error instanceof DomainError && error.kind === 'not_found') return this.finish('gone', { state: 'gone', code: error.code });
    if (error instanceof DomainError && error.kind === 'unavailable') {
      return this.finish('unavailable', { code: error.code, retryAfterSeconds: error.retryAfterSeconds ?? 5 });
    }
    this.finish('error', { code: 'HTTP.INTERNAL' });
  }

  drained(): void {
    this.ended = true;
    this.sink.end();
  }

  /** Places are turned into views one at a time, the latest first: a slow read never reorders them. */
  private async flush(): Promise<void> {
    this.busy = true;
    while (this.pending && !this.ended) {
      const { place, now } = this.pending;
      this.pending = undefined;
      if (place.state === 'absent') this.finish('gone', { state: 'gone', code: 'ADMISSION.NOT_IN_QUEUE' });
      else {
        try {
          const moment = await this.moments.moment(this.showId, now);
          this.show(moment.view(this.memberId, place, now), now);
        } catch (error) {
          this.failed(error);
        }
      }
    }
    this.busy = false;
  }

  private show(view: QueueView, now: number): void {
    if (this.ended) return;
    if (view.state === 'closed') return this.finish('closed', view);
    if (view.state === 'admitted') {
      if (this.last !== 'admitted' || now - this.tokenSentAt >= this.options.tokenRefreshMs) {
        this.send('admitted', view, now);
        this.tokenSentAt = now;
      }
      this.last = 'admitted';
    } else {
      const key = `${view.position}:${view.etaSeconds}:${view.paused === true}`;
      if (key !== this.last) {
        this.send('position', view, now);
        this.last = key;
      }
    }
    if (now - this.quietSince >= (this.options.heartbeatMs ?? 15_000)) {
      this.sink.comment('keep-alive');
      this.quietSince = now;
    }
  }

  private send(event: string, data: unknown, now: number): void {
    this.sink.event(event, data);
    this.quietSince = now;
  }

  private finish(event: string, data: unknown): void {
    if (this.ended) return;
    this.sink.event(event, data);
    this.ended = true;
    this.sink.end();
  }
}
