import type { RedisClient } from '../redis/redis-client.js';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { AdmitShowHandler } from '../../application/admission/admit-show.handler.js';
import { defaultAdmissionSettings, type AdmissionSettings } from '../../application/admission/admission-settings.js';
import { QueueAdmissionGate } from '../../application/admission/queue-admission-gate.js';
import { QueuePlaces } from '../../application/admission/queue-places.js';
import { positionsPerWorker, QueueWatch } from '../../application/admission/queue-watch.js';
import type { AdmissionQueue } from '../../application/ports/admission-queue.js';
import type { Clock } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import type { Config } from '../config/config.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { RedisAdmissionQueue, type RedisAdmissionQueueOptions } from './redis-admission-queue.js';
import { loadAdmissionKeys } from './admission-keys.js';
import { admissionNews } from './admission-news.js';
import { fixedDrawSeeds, randomDrawSeeds } from './draw-seeds.js';
import { Admitter } from './admitter.service.js';
import { HmacAdmissionTokens } from './hmac-admission-tokens.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { InProcessAdmissionQueue } from './memory-admission-queue.js';

export interface AdmissionParts {
  config: Config;
  redis?: RedisClient;
  logger: Logger;
  lifecycle: Lifecycle;
  settings?: AdmissionSettings;
}

/**
 * The waiting room: RedisClient queue when REDIS_URL is set, in-process when embedded; the gate; the admitter.
 * Needs the catalogue registered first (the sale catalogue: when a show sells through the queue).
 */
export function registerAdmission(container: DependencyContainer, parts: AdmissionParts): void {
  const settings = parts.settings ?? {
    ...defaultAdmissionSettings,
    lease: { ...defaultAdmissionSettings.lease, firstLeaseMs: parts.config.ADMISSION_FIRST_LEASE_MS },
    redisPrefix: `onsale:${redisNamespace(parts.config)}:admission`,
  };
  // the shared connection: it auto-pipelines, so the waiting room's calls of one tick go out as one write
  const { redis } = parts;
  if (!parts.config.ADMISSION_KEYS && parts.redis) {
    parts.logger.warn('ADMISSION_KEYS is not set: using a key generated in DATA_DIR; every server must share it');
  }
  container.register(TOKENS.AdmissionSettings, { useValue: settings });
  container.register(TOKENS.DrawSeeds, { useValue: drawSeedsOf(parts.config, parts.logger) });
  // made on first use, so that settings registered later (tests, benches) choose the key prefix
  container.register(TOKENS.AdmissionQueue, {
    useFactory: instanceCachingFactory<AdmissionQueue>((c) =>
      redis
        ? new RedisAdmissionQueue(redis, c.resolve<AdmissionSettings>(TOKENS.AdmissionSettings).redisPrefix, {
            replication: replicationOf(parts.config, parts.logger),
          })
        : new InProcessAdmissionQueue(),
    ),
  });
  // the same store answers when the places taken end (for the wait told to those in line)
  container.register(TOKENS.AdmissionLeases, { useFactory: (c) => c.resolve(TOKENS.AdmissionQueue) });
  container.register(TOKENS.AdmissionTokens, {
    useValue: new HmacAdmissionTokens(loadAdmissionKeys(parts.config.ADMISSION_KEYS, parts.config.DATA_DIR)),
  });
  container.register(TOKENS.AdmissionGate, { useClass: QueueAdmissionGate });
  const news = admissionNews(parts.redis, `${settings.redisPrefix}:admitted`, (err) =>
    parts.logger.warn({ err }, 'admission news: redis error'),
  );
  parts.lifecycle.add({ name: 'admission news', start: () => undefined, stop: () => news.close() });
  container.register(TOKENS.AdmissionNews, { useValue: news });
  // one per process, shared by join, status and leave (and fed by the watch's glances)
  container.register(TOKENS.QueuePlaces, {
    useFactory: instanceCachingFactory((c) => {
      const { streamPollMs } = c.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
      return new QueuePlaces(c.resolve<AdmissionQueue>(TOKENS.AdmissionQueue), streamPollMs, news);
    }),
  });
  let watch: QueueWatch | undefined;
  // made on first use, like the queue; at shutdown, long polls are answered at once instead of holding the close up
  parts.lifecycle.add({ name: 'queue watch', start: () => undefined, stop: () => watch?.drain(), drain: () => watch?.drain() });
  container.register(TOKENS.QueueWatch, {
    useFactory: instanceCachingFactory((c) => {
      const { lease, streamPollMs } = c.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
      const queue = c.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
      watch = new QueueWatch(queue, lease, streamPollMs, c.resolve<Clock>(TOKENS.Clock), news, {
        places: c.resolve<QueuePlaces>(TOKENS.QueuePlaces),
        // the waiting room's processes, where there are any, hold the streams (a proxy sends them there)
        positionsPerSecond: positionsPerWorker(parts.config.WAITING_ROOM_WORKERS || parts.config.ONSALE_WORKER_SLOTS),
      });
      return watch;
    }),
  });

  let admitter: Admitter | undefined;
  parts.lifecycle.add({
    name: 'admission admitter',
    // resolved at start, once the container is complete
    start: () => {
      const { tickMs } = container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
      const queue = container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
      admitter = new Admitter(queue, container.resolve(AdmitShowHandler), tickMs, parts.logger);
      admitter.start();
    },
    stop: () => admitter?.stop(),
  });
}

/**
 * WAIT on the queue's writes that a failover must not lose (REDIS_WAIT_REPLICAS; by default 1 on a
 * Cluster, whose masters have replicas, and none on one Redis); a shortfall is logged at most every 10 s.
 */
function replicationOf(config: Config, logger: Logger): RedisAdmissionQueueOptions['replication'] {
  const replicas = config.REDIS_WAIT_REPLICAS ?? (config.REDIS_CLUSTER_NODES ? 1 : 0);
  if (replicas === 0) return undefined;
  let warnedAt = 0;
  return {
    replicas,
    timeoutMs: config.REDIS_WAIT_TIMEOUT_MS,
    onUnreplicated: (script, acknowledged) => {
      if (Date.now() - warnedAt < 10_000) return;
      warnedAt = Date.now();
      logger.warn({ script, acknowledged, wanted: replicas }, 'waiting room: a write is not on enough replicas yet');
    },
  };
}

/** Random draw seeds; fixed ones only where a test asks (config refuses them under NODE_ENV=production). */
function drawSeedsOf(config: Config, logger: Logger) {
  if (config.ONSALE_TEST_DRAW_SEED === undefined) return randomDrawSeeds;
  logger.warn('ONSALE_TEST_DRAW_SEED is set: pre-queue draw seeds are derived from it, so every draw is predictable (tests only)');
  return fixedDrawSeeds(config.ONSALE_TEST_DRAW_SEED);
}
