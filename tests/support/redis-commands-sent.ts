import type { Redis } from 'ioredis';

/**
 * The commands `redis` sends from now on whose name matches `names`, lower-case, in order: every
 * command goes through the client's `sendCommand` (empty the array to count afresh). A command sent
 * while the client connects goes through it again from the offline queue: connect first.
 */
export function redisCommandsSent(redis: Redis, names: RegExp): string[] {
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string }) => {
    if (names.test(command.name)) sent.push(command.name.toLowerCase());
    return send(command as never);
  }) as typeof redis.sendCommand;
  return sent;
}
