import type { AdmissionLeases } from '../../application/ports/admission-leases.js';
import type { RedisClient } from '../redis/redis-client.js';
import type {
  AdmissionBatch,
  AdmissionLease,
  AdmissionQueue,
  AdmitLimits,
  AdmitPace,
  AdmitResult,
  LeasePolicy,
  MemberPlace,
  QueueGlance,
  QueueStats,
} from '../../application/ports/admission-queue.js';
import { firstLeaseMs, maxBatch } from '../../domain/admission/admission.rules.js';
import { QueueUnavailable } from '../../domain/admission/admission.errors.js';
import * as lua from './redis-admission.lua.js';
import { parseAdmitReply, parsePlace } from './redis-admission-replies.js';
import { TickBatcher } from '../tick-batcher.js';
import { ReplicationBarrier, type ReplicationPolicy } from './replication-barrier.js';
import { redisScript, type RedisScript } from '../redis/redis-script.js';

const SCRIPTS = {
  admissionJoins: lua.joinsScript,
  admissionStatuses: lua.statusesScript,
  admissionGlance: lua.glanceScript,
  admissionRenews: lua.renewsScript,
  admissionLeave: lua.leaveScript,
  admissionReleases: lua.releasesScript,
  admissionFreeze: lua.freezeScript,
  admissionDrawChunk: lua.drawChunkScript,
  admissionOpen: lua.openScript,
  admissionAdmit: lua.admitScript,
  admissionClose: lua.closeScript,
  admissionReopen: lua.reopenScript,
  admissionAck: lua.ackScript,
  admissionRenumber: lua.renumberScript,
  admissionCommitSeed: lua.commitSeedScript,
} as const;

type ScriptName = keyof typeof SCRIPTS;
/** What a failover must not lose: a place given, an admission, the draw's committed seed (docs/scaling.md). */
const REPLICATED: ReadonlySet<ScriptName> = new Set(['admissionJoins', 'admissionAdmit', 'admissionCommitSeed', 'admissionRenumber']);
const KEY_NAMES = ['meta', 'tickets', 'owners', 'pre', 'left', 'leases', 'joined', 'outbox'] as const;
const DRAW_CHUNK = 1000;

/** A join or a lease renewal waiting for its turn's script call: the member, and its own instant. */
interface MemberAt {
  memberId: string;
  now: number;
}
/** A release waiting for its turn's script call ('' : whatever admission holds the lease). */
interface Releasing {
  memberId: string;
  admittedAt: number | '';
}
const CLOSED_TTL_SECONDS = 86_400;

export interface RedisAdmissionQueueOptions {
  /**
   * Replicas that must hold a join, an admission or a seed commitment before it is answered (`WAIT`,
   * up to `timeoutMs`): a master that dies then loses none of them. When fewer acknowledge in time
   * (the shard's replica is down or far behind), the write stands and `onUnreplicated` is told:
   * refusing would stop the sale on a shard left with one node (see ReplicationBarrier).
   */
  replication?: ReplicationPolicy;
  /**
   * Whose clock decides a join's phase: this Redis server's TIME (the default: one clock for every
   * app host), or the `now` the caller passes (for tests that drive time by hand).
   */
  phaseClock?: 'server' | 'caller';
}

/** The queue in Redis: one Lua script per state change; a position is O(1) (ticket − served − leavers between). */
export class RedisAdmissionQueue implements AdmissionQueue, AdmissionLeases {
  private readonly keyCache = new Map<string, string[]>();
  private readonly replication?: ReplicationBarrier;
  private readonly scripts: Record<ScriptName, RedisScript<unknown>>;
  // status look-ups of one show in one turn of the event loop (polls, event streams) share a script call
  private readonly lookups = new TickBatcher<{ showId: string; now: number; lease: LeasePolicy }, string, MemberPlace>(
    ({ showId, now, lease }, memberIds) => this.statuses(showId, memberIds, now, lease),
  );
  // the joins of one show in one turn of the event loop share a script call too, in the order they came
  private readonly joins = new TickBatcher<
    { showId: string; salesOpenAt: number; lease: LeasePolicy; pace?: AdmitPace },
    MemberAt,
    MemberPlace
  >(({ showId, salesOpenAt, lease, pace }, joining) => this.joinAll(showId, joining, salesOpenAt, lease, pace));
  // every hold and confirm on a queued show renews its member's lease, and every confirm ends one:
  // those of one show in one turn of the event loop share a script call each
  private readonly renewals = new TickBatcher<{ showId: string; lease: LeasePolicy }, MemberAt, AdmissionLease | undefined>(
    ({ showId, lease }, renewing) => this.renewAll(showId, renewing, lease),
  );
  private readonly releases = new TickBatcher<string, Releasing, boolean>((showId, releasing) => this.releaseAll(showId, releasing));

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'onsale:admission',
    private readonly options: RedisAdmissionQueueOptions = {},
  ) {
    const entries = Object.entries(SCRIPTS).map(([name, lua]) => [name, redisScript(redis, name, lua, KEY_NAMES.length)]);
    this.scripts = Object.fromEntries(entries) as Record<ScriptName, RedisScript<unknown>>;
    if (options.replication && options.replication.replicas > 0) this.replication = new ReplicationBarrier(redis, options.replication);
  }

  /** All keys of a show share the hash tag {show:<id>}, so one Cluster slot holds them. */
  keys(showId: string): string[] {
    let keys = this.keyCache.get(showId);
    if (!keys) {
      keys = KEY_NAMES.map((name) => `${this.prefix}:{show:${showId}}:${name}`);
      if (this.keyCache.size >= 1000) this.keyCache.clear();
      this.keyCache.set(showId, keys);
    }
    return keys;
  }

  /** Joins of the show in the same turn of the event loop share one script call (a failed call fails only its joins). */
  join(showId: string, memberId: string, now: number, salesOpenAt: number, lease: LeasePolicy, pace?: AdmitPace): Promise<MemberPlace> {
    const paced = pace ? `${pace.admitPerSecond}\n${pace.maxActive}\n${lease.firstLeaseMs}` : '';
    const group = `${showId}\n${salesOpenAt}\n${lease.leaseMs}\n${lease.maxSessionMs}\n${paced}`;
    return this.joins.get(group, { showId, salesOpenAt, lease, pace }, { memberId, now });
  }

  /** The joins' places, in order: each takes its ticket after those before it; with `pace`, admitted at once into an empty line (see joinAll). */
  private async joinAll(
    showId: string,
    joining: MemberAt[],
    salesOpenAt: number,
    lease: LeasePolicy,
    pace?: AdmitPace,
  ): Promise<MemberPlace[]> {
    const limits = pace && { ...lease, ...pace };
    const admitting = limits
      ? [limits.admitPerSecond, limits.maxActive, firstLeaseMs(limits), maxBatch(limits.admitPerSecond)]
      : ['', '', '', ''];
    const args = joining.flatMap(({ memberId, now }) => [memberId, now, this.clockArg(now)]);
    const replies = await this.run('admissionJoins', showId, salesOpenAt, lease.leaseMs, lease.maxSessionMs, ...admitting, ...args);
    return (replies as unknown[]).map(parsePlace);
  }

  /** Look-ups in the same turn of the event loop and millisecond share one script call. */
  status(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace> {
    return this.lookups.get(`${showId}\n${now}\n${lease.leaseMs}\n${lease.maxSessionMs}`, { showId, now, lease }, memberId);
  }

  async statuses(showId: string, memberIds: string[], now: number, lease: LeasePolicy): Promise<MemberPlace[]> {
    const replies = await this.run('admissionStatuses', showId, now, lease.leaseMs, lease.maxSessionMs, ...memberIds);
    return (replies as unknown[]).map((reply) => parsePlace(reply ?? ['absent']));
  }

  async glance(showId: string, upTo: number): Promise<QueueGlance> {
    const [phase, served, reason, leavers] = (await this.run('admissionGlance', showId, upTo)) as [string, number, string, string[]];
    return { phase: phase as QueueGlance['phase'], served: Number(served), reason, leavers: leavers.map(Number) };
  }

  /** Renewals of the show in the same turn of the event loop share one script call, in the order they came. */
  renew(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<AdmissionLease | undefined> {
    return this.renewals.get(`${showId}\n${lease.leaseMs}\n${lease.maxSessionMs}`, { showId, lease }, { memberId, now });
  }

  private async renewAll(showId: string, renewing: MemberAt[], lease: LeasePolicy): Promise<(AdmissionLease | undefined)[]> {
    const args = renewing.flatMap(({ memberId, now }) => [memberId, now]);
    const replies = (await this.run('admissionRenews', showId, lease.leaseMs, lease.maxSessionMs, ...args)) as unknown[];
    return replies.map((reply) => (Array.isArray(reply) ? { expiresAt: Number(reply[0]), admittedAt: Number(reply[1]) } : undefined));
  }

  async leave(showId: string, memberId: string): Promise<boolean> {
    return (await this.run('admissionLeave', showId, memberId)) === 1;
  }

  /** Releases of the show in the same turn of the event loop share one script call, in the order they came. */
  release(showId: string, memberId: string, admittedAt?: number): Promise<boolean> {
    return this.releases.get(showId, showId, { memberId, admittedAt: admittedAt ?? '' });
  }

  private async releaseAll(showId: string, releasing: Releasing[]): Promise<boolean[]> {
    const args = releasing.flatMap(({ memberId, admittedAt }) => [memberId, admittedAt]);
    const replies = (await this.run('admissionReleases', showId, ...args)) as unknown[];
    return replies.map((reply) => reply === 1);
  }

  async freeze(showId: string, opening?: { now: number; salesOpenAt: number }): Promise<string[] | undefined> {
    const list = await this.run('admissionFreeze', showId, opening?.salesOpenAt ?? '', opening ? this.clockArg(opening.now) : '');
    return Array.isArray(list) ? (list as string[]) : undefined;
  }

  async commitSeed(showId: string, seed: string, now: number): Promise<{ seed: string; committedAt: number }> {
    const [kept, at] = (await this.run('admissionCommitSeed', showId, seed, now)) as [string, string];
    return { seed: kept, committedAt: Number(at) };
  }

  async applyDraw(showId: string, order: string[], now: number): Promise<void> {
    for (let offset = 0; offset < order.length; offset += DRAW_CHUNK) {
      await this.run('admissionDrawChunk', showId, offset, now, ...order.slice(offset, offset + DRAW_CHUNK));
    }
    await this.run('admissionOpen', showId, now);
  }

  async admit(showId: string, now: number, limits: AdmitLimits): Promise<AdmitResult> {
    const batch = maxBatch(limits.admitPerSecond);
    const firstLease = firstLeaseMs(limits);
    const reply = await this.run('admissionAdmit', showId, now, limits.admitPerSecond, limits.maxActive, firstLease, batch);
    return parseAdmitReply(reply as (string | number)[]);
  }

  async close(showId: string, reason: string, now: number): Promise<void> {
    await this.run('admissionClose', showId, reason, CLOSED_TTL_SECONDS, now);
  }

  async reopen(showId: string, now: number, quietMs: number): Promise<boolean> {
    return (await this.run('admissionReopen', showId, now, quietMs)) === 1;
  }

  async pendingBatches(showId: string, limit: number): Promise<AdmissionBatch[]> {
    const entries = await this.call(() => this.redis.lrange(this.keys(showId)[7]!, 0, limit - 1));
    return entries.map((entry) => {
      const [seq, at, members] = entry.split('|');
      return { seq: Number(seq), admittedAt: Number(at), memberIds: members ? members.split(',') : [] };
    });
  }

  async ackBatches(showId: string, seq: number): Promise<number> {
    return Number(await this.run('admissionAck', showId, seq));
  }

  async renumberBatches(showId: string, head: number, recorded: number): Promise<number> {
    return Number(await this.run('admissionRenumber', showId, head, recorded));
  }

  async leaseEnds(showId: string, limit: number): Promise<number[]> {
    const leases = this.keys(showId)[5]!;
    const flat = await this.call(() => this.redis.zrange(leases, 0, limit - 1, 'WITHSCORES'));
    return flat.filter((_, i) => i % 2 === 1).map(Number);
  }

  async stats(showId: string): Promise<QueueStats> {
    const [meta, tickets, , , , leases] = this.keys(showId);
    const [fields, waiting, active] = await this.call(() =>
      Promise.all([this.redis.hgetall(meta!), this.redis.hlen(tickets!), this.redis.zcard(leases!)]),
    );
    return {
      phase: (fields.phase as QueueStats['phase']) ?? 'absent',
      waiting,
      active,
      admittedTotal: Number(fields.admitted ?? 0),
      abandonedTotal: Number(fields.abandoned ?? 0),
      etaErrorSumSeconds: Number(fields.etaErrorSum ?? 0),
      etaErrorCount: Number(fields.etaErrorCount ?? 0),
    };
  }

  async noteEtaErrors(showId: string, errorsSeconds: number[]): Promise<void> {
    if (errorsSeconds.length === 0) return;
    const meta = this.keys(showId)[0]!;
    const sum = errorsSeconds.reduce((total, error) => total + error, 0);
    await this.call(() =>
      Promise.all([this.redis.hincrbyfloat(meta, 'etaErrorSum', sum), this.redis.hincrby(meta, 'etaErrorCount', errorsSeconds.length)]),
    );
  }

  async shows(): Promise<string[]> {
    return this.call(() => this.redis.smembers(`${this.prefix}:shows`));
  }

  async track(showId: string): Promise<void> {
    await this.call(() => this.redis.sadd(`${this.prefix}:shows`, showId));
  }

  async untrack(showId: string): Promise<void> {
    await this.call(() => this.redis.srem(`${this.prefix}:shows`, showId));
  }

  /** '' lets the script read this server's TIME. */
  private clockArg(now: number): number | '' {
    return this.options.phaseClock === 'caller' ? now : '';
  }

  private run(script: ScriptName, showId: string, ...args: (string | number)[]): Promise<unknown> {
    if (this.replication && REPLICATED.has(script) && !this.replication.skipping(showId)) {
      return this.call(() => this.runReplicated(script, showId, args));
    }
    return this.call(() => this.scripts[script](...this.keys(showId), ...args));
  }

  /** The script, answered once the replicas hold it (one WAIT for the show's writes of this turn). */
  private async runReplicated(script: ScriptName, showId: string, args: (string | number)[]): Promise<unknown> {
    const keys = this.keys(showId);
    const reply = await this.scripts[script](...keys, ...args);
    await this.replication!.after(showId, keys[0]!, script);
    return reply;
  }

  /** Any failure to reach Redis is "unavailable" (503 + Retry-After): we fail closed. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isScriptError(error)) throw error;
      throw new QueueUnavailable((error as Error).message);
    }
  }
}

function isScriptError(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /ERR .*(script|Lua)|WRONGTYPE/i.test(message) && !/NOSCRIPT/.test(message);
}
