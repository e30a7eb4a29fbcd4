import { execFile, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import knexFactory from 'knex';
import { redisNamespace } from '../../../src/infrastructure/redis/redis-namespace.js';
import { freePortRun } from '../../../tests/support/free-port.js';
import { repoRoot } from '../processes.js';
import { waitUntilSettled } from '../settle.js';
import { prepareTarget } from '../target.js';
import { crowdLayout, type CrowdOptions } from './crowd-layout.js';
import type { ClientJob, ClientProgress, ClientResult, MemberRecord } from './crowd-protocol.js';
import { crowdFigures, formatCrowd, type Admitted, type Sample } from './crowd-report.js';
import { cpuSecondsOf, listenerPids } from '../proc-cpu.js';
import { cpuMark, cpuSeconds, formatCpu, mysqlPid, processDetail, type CpuMark, type ProcessGroups } from './crowd-cpu.js';

const log = (message: string) => console.error(`[crowd] ${message}`);

/**
 * `npm run load -- crowd --members N`: N members join one queued show in a burst and wait (SSE or
 * long poll) on several server workers, each on its own ports, from several client processes bound
 * to several loopback addresses; admitted members buy one ticket. Prints one table.
 */
export async function runCrowd(options: CrowdOptions): Promise<void> {
  const layout = crowdLayout(options);
  log(
    `${options.members} members: ${layout.workers} server workers${layout.waitingRoom ? ` and ${layout.waitingRoom} waiting-room processes` : ''} × ${layout.listeners} ports, ${layout.clients} client processes, source addresses ${layout.sourceAddresses.join(' ')}`,
  );
  const processes = layout.workers + layout.waitingRoom;
  const portBase = await freePortRun(processes * layout.listeners);
  // a process's ports are WORKER_LISTENERS in a row (workerPorts), the waiting room's after the workers'
  const slotPorts = (slot: number) => Array.from({ length: layout.listeners }, (_, k) => portBase + slot * layout.listeners + k);
  const allPorts = Array.from({ length: processes }, (_, slot) => slotPorts(slot)).flat();
  const bookingBase = options.bookingDoor ? await freePortRun(layout.workers, allPorts) : undefined;
  const target = await prepareTarget({
    workers: layout.workers,
    members: options.members,
    shows: ['general-queue'],
    capacity: options.members * 2,
    maxPerMember: 4,
    admitPerSecond: options.admitPerSecond,
    maxActive: options.maxActive,
    mysqlUrl: options.mysqlUrl,
    redisUrl: options.redisUrl,
    seedFile: options.seedFile,
    env: {
      WORKER_PORT_BASE: String(portBase),
      WORKER_LISTENERS: String(layout.listeners),
      ...(bookingBase ? { BOOKING_PORT_BASE: String(bookingBase) } : {}),
      ...(layout.waitingRoom ? { WAITING_ROOM_WORKERS: String(layout.waitingRoom) } : {}),
      // several workers on a shared MariaDB: waiting needs few connections
      MYSQL_POOL_SIZE: process.env.MYSQL_POOL_SIZE ?? '6',
    },
  });
  const show = target.seed.shows[0]!;
  const serverPids = () => target.cpuGroups.server!();
  const redis = new Redis(target.redisUrl);
  const sql = knexFactory({ client: 'mysql2', connection: target.databaseUrl, pool: { min: 0, max: 1 } });
  const clientPids: number[] = [];
  const databasePid = await mysqlPid(sql);
  // with a waiting room: its processes are those listening on its slots' ports (kept once all are found)
  let waitingRoomPids = new Set<number>();
  const waitingRoom = () => {
    if (waitingRoomPids.size < layout.waitingRoom)
      waitingRoomPids = new Set(
        Array.from({ length: layout.waitingRoom }, (_, i) => listenerPids(slotPorts(layout.workers + i)[0]!)).flat(),
      );
    return waitingRoomPids;
  };
  const groups: ProcessGroups = {
    'server primary': () => serverPids().slice(0, 1),
    'server workers': () =>
      serverPids()
        .slice(1)
        .filter((pid) => !waitingRoom().has(pid)),
    ...(layout.waitingRoom ? { 'waiting-room processes': () => [...waitingRoom()] } : {}),
    'crowd clients': () => clientPids,
    'load runner': () => [process.pid],
    mariadbd: () => (databasePid ? [databasePid] : target.cpuGroups.database!()),
    'redis-server': () => target.cpuGroups.redis!(),
  };
  const schema = new URL(target.databaseUrl).pathname.slice(1);
  const marks: { label: string; mark: CpuMark }[] = [];
  const markAs = (label: string) =>
    cpuMark(groups, sql, schema, redis).then(
      (mark) => void marks.push({ label, mark }),
      () => undefined,
    );
  const leasesKey = `onsale:${redisNamespace({ MYSQL_URL: target.databaseUrl, DATA_DIR: '', EVENTSTORE_URL: undefined })}:admission:{show:${show.id}}:leases`;
  try {
    // the crowd comes to a server whose read models have taken in the seeding (100,000 sign-ups at
    // full size), not to one still working them off while it is measured; then the workers settle
    const seeded = await waitUntilSettled(target.databaseUrl, 300_000);
    log(`read models ${seeded.settled ? '' : 'NOT '}caught up with the seeding ${seeded.seconds.toFixed(1)} s after it`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssBefore = rssKb(serverPids());
    log(`server processes ${serverPids().join(' ')}: RSS ${(rssBefore / 1024).toFixed(0)} MB before the crowd`);
    const startAt = Date.now() + 3000 + layout.clients * 300;
    const joinEnd = startAt + options.joinSeconds * 1000;
    const endAt = joinEnd + options.waitSeconds * 1000;
    // the crowd joins and waits on the waiting room's ports where there is one, else on every worker's
    const holders = layout.waitingRoom ? Array.from({ length: layout.waitingRoom }, (_, i) => layout.workers + i) : undefined;
    const ports = holders ? holders.flatMap(slotPorts) : allPorts;
    // and buys at a worker: on its booking port (bookingBase + slot) or its own ports; without a
    // waiting room, at the worker it joined
    const workerPortList = Array.from({ length: layout.workers }, (_, slot) => slotPorts(slot)).flat();
    const holdPorts = ports.map((port, i) => {
      const slot = holders ? i % layout.workers : Math.floor(i / layout.listeners);
      if (bookingBase) return bookingBase + slot;
      return holders ? workerPortList[i % workerPortList.length]! : port;
    });
    const members = target.seed.members.map((m, i) => ({
      id: m.id,
      accessToken: m.accessToken,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    }));
    const progress = new Map<number, ClientProgress>();
    const samples: Sample[] = [];
    let maxActive = 0;
    const full = { samples: 0, full: 0 };
    const activeTimer = setInterval(() => {
      redis.zcard(leasesKey).then(
        (n) => {
          maxActive = Math.max(maxActive, n);
          if (Date.now() < startAt + 1000) return;
          full.samples++;
          if (n >= options.maxActive) full.full++;
        },
        () => undefined,
      );
    }, 100);
    const firstMark = setTimeout(() => void markAs('first join'), startAt - Date.now());
    let allAnswered = false;
    let helperSeconds = 0;
    const sampler = setInterval(() => {
      cpuSeconds(groups);
      const pids = serverPids();
      const sum = <K extends 'waiting' | 'joined' | 'streams'>(key: K) => [...progress.values()].reduce((s, p) => s + p[key], 0);
      samples.push({
        at: Date.now(),
        rssKb: rssKb(pids),
        cpuSeconds: pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
        waiting: sum('waiting'),
        joined: sum('joined'),
        streams: sum('streams'),
      });
      const last = samples.at(-1)!;
      const before = samples.at(-2);
      const threads = processDetail(pids.slice(1)).threads;
      const helpers = (threads.V8Worker ?? 0) - helperSeconds;
      helperSeconds = threads.V8Worker ?? 0;
      // while members join: the server's CPU each second against the joins answered in it (cold code shows as dear early seconds)
      if (before && last.joined > before.joined)
        log(
          `+${last.joined - before.joined} joined in ${((last.at - before.at) / 1000).toFixed(1)} s, server CPU +${(last.cpuSeconds - before.cpuSeconds).toFixed(2)} s (${Math.round(((last.cpuSeconds - before.cpuSeconds) * 1e6) / (last.joined - before.joined))} µs a join; the workers' V8 helper threads +${helpers.toFixed(2)} s)`,
        );
      const answered = [...progress.values()].reduce((s, p) => s + p.joined + p.errors, 0);
      if (!allAnswered && answered >= options.members) {
        allAnswered = true;
        void markAs('every join answered');
      }
      if (samples.length % 5 === 0)
        log(`joined ${last.joined}, waiting ${last.waiting}, streams ${last.streams}, server RSS ${(last.rssKb / 1024).toFixed(0)} MB`);
    }, 1000);
    // the last --still-seconds: admissions paused, so that nothing changes for anyone waiting
    let stillFrom: number | undefined;
    const still =
      options.stillSeconds > 0
        ? setTimeout(
            () => {
              const asked = Date.now();
              pauseAdmissions(target.serverEnv, show.id).then(
                () => {
                  stillFrom = Date.now();
                  log(`admissions paused (${((stillFrom - asked) / 1000).toFixed(1)} s to pause): the queue is still`);
                },
                (error: Error) => log(`could not pause the sale: ${error.message}`),
              );
            },
            endAt - options.stillSeconds * 1000 - Date.now(),
          )
        : undefined;
    const results = await Promise.all(
      layout.slices.map(([from, to], c) =>
        runClient(
          {
            showId: show.id,
            members: members.slice(from, to),
            offset: from,
            ports,
            holdPorts,
            sourceAddresses: layout.sourceAddresses,
            wait: options.wait,
            streamUpgrade: options.streamUpgrade,
            startAt,
            joinSeconds: options.joinSeconds,
            endAt,
            buy: options.buy,
          },
          (p) => progress.set(c, p),
          (pid) => clientPids.push(pid),
        ),
      ),
    );
    clearInterval(sampler);
    clearInterval(activeTimer);
    clearTimeout(still);
    clearTimeout(firstMark);
    await markAs('end');
    const records: MemberRecord[] = results.flatMap((r) => r.records);
    const reasons: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
    const unanswered = records.filter((r) => r.joinAt === 0 && !r.error).length;
    if (unanswered) reasons['join unanswered at the end'] = unanswered;
    // told of their admission, neither bought nor refused: the hold (or confirm) was still on its way
    const buying = options.buy ? records.filter((r) => r.knownAt > 0 && r.boughtAt === 0 && !r.error).length : 0;
    if (buying) reasons['admitted, hold or confirm unanswered at the end'] = buying;
    const admitted = await admissions(target.databaseUrl, show.id);
    const figures = crowdFigures({
      records,
      admitted,
      samples,
      rssBefore,
      startAt,
      joinEnd,
      endAt,
      stillFrom,
      options,
      maxActive,
      fullShare: full.samples ? full.full / full.samples : 0,
    });
    console.log(formatCrowd(figures, { options, layout, loadAverage: loadavg()[0]!.toFixed(1), reasons }));
    if (marks.length >= 2) console.log(`\n${formatCpu(marks, figures.joined)}`);
  } finally {
    redis.disconnect();
    await sql.destroy();
    await target.stop();
  }
}

/** The organizer's pause, from a shell: `onsale sale pause` against the server's stores. */
function pauseAdmissions(env: Record<string, string>, showId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'src/cli.ts'), 'sale', 'pause', showId, '--by', 'load-run'],
      { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, cwd: repoRoot },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve()),
    );
  });
}

function runClient(job: ClientJob, onProgress: (p: ClientProgress) => void, onPid: (pid: number) => void): Promise<ClientResult> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'crowd-client.ts'), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onPid(child.pid!);
  return new Promise((resolve, reject) => {
    child.on('message', (message: ClientProgress | ClientResult) => {
      if (message.type === 'progress') onProgress(message);
      else resolve(message);
    });
    child.on('exit', (code) => (code ? reject(new Error(`a crowd client exited with ${code}`)) : undefined));
    child.send(job);
  });
}

/** Every admission the queue recorded, in order: (batch, place in batch) and when. */
async function admissions(databaseUrl: string, showId: string): Promise<Admitted[]> {
  const knex = knexFactory({ client: 'mysql2', connection: databaseUrl, pool: { min: 0, max: 1 } });
  try {
    const rows: { data: string | object }[] = await knex('events')
      .select('data')
      .where({ stream_id: `admission-${showId}`, type: 'MembersAdmitted' })
      .orderBy('version');
    const batches = rows.map(
      (row) =>
        (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { batch: number; memberIds: string[]; admittedAt: string },
    );
    batches.sort((a, b) => a.batch - b.batch);
    return batches.flatMap((b) => b.memberIds.map((memberId) => ({ memberId, at: Date.parse(b.admittedAt) })));
  } finally {
    await knex.destroy();
  }
}

function rssKb(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      sum += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return sum;
}
