import { randomBytes } from 'node:crypto';
import { createPool } from 'mysql2/promise';
import { mysqlConnectionOptions } from '../../src/infrastructure/database/mysql-connection.js';
import { freePort } from '../../tests/support/free-port.js';
import { startNode } from './processes.js';
import { CpuSampler, processTree } from './proc-cpu.js';
import { routeRate, routeTool } from './route-rate.js';

/**
 * The least this machine does in the same minute as the rows, so that the rows can be read as
 * ratios (absolute rates drift here by a fifth from one run to the next, and by half from one VM to
 * the next): a bare Koa route on as many workers as the server, and bare durable INSERTs.
 */
export interface Yardstick {
  workers: number;
  connections: number;
  seconds: number;
  tool: string;
  koaRequestsPerSecond: number;
  /** CPU of the bare Koa processes per request answered. */
  koaCpuMicrosPerRequest: number;
  insertConnections: number;
  /** Single-row autocommit INSERTs into one InnoDB table, as durable as the server commits them. */
  insertsPerSecond: number;
}

const SECONDS = 5;
const CONNECTIONS = 256;
const INSERT_CONNECTIONS = 32;

export async function measureYardstick(workers: number, mysqlUrl: string): Promise<Yardstick> {
  const koa = await bareKoa(workers);
  const insertsPerSecond = await bareInserts(mysqlUrl);
  return {
    workers,
    connections: CONNECTIONS,
    seconds: SECONDS,
    tool: routeTool,
    ...koa,
    insertConnections: INSERT_CONNECTIONS,
    insertsPerSecond,
  };
}

async function bareKoa(workers: number): Promise<Pick<Yardstick, 'koaRequestsPerSecond' | 'koaCpuMicrosPerRequest'>> {
  console.error(`[load] yardstick: a bare Koa route on ${workers} worker(s), ${CONNECTIONS} connections for ${SECONDS} s (${routeTool})`);
  const bare = await startNode('bench/load/bare-koa.ts', { WORKERS: String(workers) }, await freePort(), '/');
  try {
    const cpu = new CpuSampler({ koa: () => processTree(bare.pid) });
    cpu.start();
    const measured = await routeRate(`${bare.url}/`, CONNECTIONS, SECONDS);
    const cpuSeconds = cpu.cpuSeconds().koa ?? 0;
    const requests = measured.requestsPerSecond * SECONDS;
    return { koaRequestsPerSecond: measured.requestsPerSecond, koaCpuMicrosPerRequest: requests > 0 ? (cpuSeconds * 1e6) / requests : NaN };
  } finally {
    await bare.stop();
  }
}

async function bareInserts(mysqlUrl: string): Promise<number> {
  console.error(`[load] yardstick: single-row INSERTs from ${INSERT_CONNECTIONS} connections for ${SECONDS} s`);
  const database = `onsale_load_yardstick_${randomBytes(3).toString('hex')}`;
  const pool = createPool({ ...mysqlConnectionOptions(mysqlUrl), database: undefined, connectionLimit: INSERT_CONNECTIONS });
  try {
    await pool.query(`CREATE DATABASE ${database}`);
    await pool.query(`CREATE TABLE ${database}.rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(255) NOT NULL) ENGINE=InnoDB`);
    const body = 'x'.repeat(200);
    const deadline = performance.now() + SECONDS * 1000;
    let inserts = 0;
    const loop = async () => {
      while (performance.now() < deadline) {
        await pool.query(`INSERT INTO ${database}.rows (body) VALUES (?)`, [body]);
        inserts++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: INSERT_CONNECTIONS }, loop));
    return inserts / ((performance.now() - started) / 1000);
  } finally {
    await pool.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await pool.end();
  }
}

/** The yardstick's line and, per row, its figures as shares of it. */
export function formatYardstick(
  yardstick: Yardstick,
  rows: { name: string; bookingsPerSecond: number; serverCpuMicrosPerBooking: number }[],
): string {
  const { koaRequestsPerSecond: koa, koaCpuMicrosPerRequest: koaCpu, insertsPerSecond: inserts } = yardstick;
  const lines = [
    `Yardstick, measured just before the rows: a bare Koa route on ${yardstick.workers} worker(s) answered ${koa.toFixed(0)} requests a second ` +
      `(${yardstick.tool}, ${yardstick.connections} connections, ${yardstick.seconds} s) at ${koaCpu.toFixed(1)} µs of CPU a request; ` +
      `single-row INSERTs from ${yardstick.insertConnections} connections committed ${inserts.toFixed(0)} a second.`,
    '',
    '| run | bookings/s | ÷ bare Koa req/s | server CPU a booking (µs) | in bare Koa requests | ÷ bare INSERTs/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${[
        row.name,
        row.bookingsPerSecond.toFixed(1),
        (row.bookingsPerSecond / koa).toFixed(4),
        row.serverCpuMicrosPerBooking.toFixed(0),
        (row.serverCpuMicrosPerBooking / koaCpu).toFixed(1),
        (row.bookingsPerSecond / inserts).toFixed(3),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
