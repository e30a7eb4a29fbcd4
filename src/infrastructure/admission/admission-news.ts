import type { RedisClient } from '../redis/redis-client.js';
import type { Admissions } from '../../application/ports/admission-news.js';
import { LocalBroadcast, RedisBroadcast, type Broadcast } from '../broadcast.js';

/** Word of admissions: over Redis to every process (`<showId> <lease expiry> <m1>,<m2>,…`), or within this one when embedded. */
export function admissionNews(redis: RedisClient | undefined, channel: string, onError: (error: Error) => void): Broadcast<Admissions> {
  if (!redis) return new LocalBroadcast();
  return new RedisBroadcast(redis, {
    channel,
    // show ids are letters, digits, - and _ (the routes check), member ids UUIDs: no spaces or commas
    encode: ({ showId, memberIds, leaseExpiresAt }) => `${showId} ${leaseExpiresAt} ${memberIds.join(',')}`,
    decode: (text) => {
      const [showId = '', expiry = '', members = ''] = text.split(' ');
      return { showId, leaseExpiresAt: Number(expiry), memberIds: members ? members.split(',') : [] };
    },
    onError,
  });
}
