import { randomBytes } from 'node:crypto';
import { sameSlotGroups, type RedisClient } from '../redis/redis-client.js';
import type { StreamTurns, Turn } from '../../application/ports/stream-turns.js';
import { redisScript, type RedisScript } from '../redis/redis-script.js';

/**
 * KEYS: per stream, its contended flag, turn and last version (on a Cluster: one stream's). ARGV: token, turn ms.
 * Takes the turns of every contended stream at once, or none (no holding while waiting: no deadlock).
 * Answers 0 (wait) or 1 followed by the last versions.
 */
const TAKE = `
local taken = {}
local versions = {}
for i = 1, #KEYS, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    if redis.call('SET', KEYS[i + 1], ARGV[1], 'NX', 'PX', ARGV[2]) then
      table.insert(taken, KEYS[i + 1])
    else
      for _, key in ipairs(taken) do redis.call('DEL', key) end
      return {0}
    end
  end
  table.insert(versions, redis.call('GET', KEYS[i + 2]) or '0')
end
return {1, unpack(versions)}`;

/** KEYS: per stream, its turn and last version. ARGV: token, then the versions written (0: none). */
const RELEASE = `
for i = 1, #KEYS, 2 do
  local version = tonumber(ARGV[(i + 1) / 2 + 1])
  if version > 0 then redis.call('SET', KEYS[i + 1], version, 'PX', 60000) end
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1`;

/** Stream turns in Redis, per database (`namespace`). */
export class RedisStreamTurns implements StreamTurns {
  private readonly takeScript: RedisScript<(number | string)[]>;
  private readonly releaseScript: RedisScript<number>;
  /** Tokens are this instance's random part and a count: unique without drawing random bytes for every turn. */
  private readonly tokenPrefix = randomBytes(8).toString('hex');
  private turnsTaken = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
    private readonly options = { turnMs: 500, waitMs: 300, contendedMs: 2000 },
  ) {
    this.takeScript = redisScript(redis, 'streamTurnsTake', TAKE, undefined, 3);
    this.releaseScript = redisScript(redis, 'streamTurnsRelease', RELEASE, undefined, 2);
  }

  async take(streamIds: string[]): Promise<Turn> {
    const ids = [...streamIds].sort();
    const none: Turn = { versions: new Map(), release: async () => undefined };
    if (ids.length === 0) return none;
    const token = `${this.tokenPrefix}.${(this.turnsTaken++).toString(36)}`;
    // one call for all streams on one Redis; one per stream on a Cluster (each stream's keys share a slot)
    const groups = sameSlotGroups(this.redis, ids);
    const keys = groups.map((group) => group.flatMap((id) => [this.key('contended', id), this.key('turn', id), this.key('version', id)]));
    const deadline = Date.now() + this.options.waitMs;
    try {
      for (;;) {
        const answers = await Promise.all(keys.map((group) => this.takeScript(group.length, ...group, token, this.options.turnMs)));
        if (answers.every((answer) => answer[0] === 1)) {
          const versions = answers.flatMap((answer) => answer.slice(1));
          return {
            versions: new Map(ids.map((id, i) => [id, Number(versions[i])])),
            release: (written) => this.release(ids, token, written),
          };
        }
        // all or none: the turns taken in other slots are given back, so that none is held while waiting
        const taken = groups.filter((_, i) => answers[i]![0] === 1).flat();
        if (taken.length > 0) await this.release(taken, token, {});
        if (Date.now() >= deadline) return none;
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 2));
      }
    } catch {
      return none; // turns only make contention cheaper; the expected versions keep it correct
    }
  }

  async contended(streamId: string): Promise<void> {
    await this.redis.set(this.key('contended', streamId), '1', 'PX', this.options.contendedMs).catch(() => undefined);
  }

  private async release(ids: string[], token: string, written: Record<string, number>): Promise<void> {
    const calls = sameSlotGroups(this.redis, ids).map((group) => {
      const keys = group.flatMap((id) => [this.key('turn', id), this.key('version', id)]);
      return this.releaseScript(keys.length, ...keys, token, ...group.map((id) => written[id] ?? 0));
    });
    await Promise.all(calls).catch(() => undefined);
  }

  /** A stream's keys share the hash tag {<stream id>}: one Cluster slot holds them. */
  private key(kind: string, streamId: string): string {
    return `onsale:${this.namespace}:${kind}:{${streamId}}`;
  }
}
