import { readFileSync } from 'node:fs';
import { percentile } from './crowd/crowd-report.js';

/**
 * `npm run load:nginx-times -- <log>`: where the slow requests of a run through Nginx spent their
 * time. Reads an access log in ops/nginx/onsale.conf's `timing` format (NGINX_ACCESS_LOG=<file>)
 * and splits each request's time in Nginx into waiting for an upstream connection, waiting for
 * the upstream's answer head, and the rest (Nginx itself, the client's side); by route and by
 * upstream, so that an unevenly loaded worker or a queue before the upstream shows.
 */
interface Line {
  at: number;
  route: string;
  status: number;
  total: number;
  upstream: string;
  connect: number;
  head: number;
}

// several upstreams tried: "a, b" (and " : " across upstream groups); "-" when none answered
const sum = (field: string) =>
  field
    .split(/[,:]/)
    .map((part) => Number(part.trim()))
    .filter((value) => Number.isFinite(value))
    .reduce((total, value) => total + value, 0);

function parse(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    // $msec|$request_method|$uri|$status|$request_time|$upstream_addr|$upstream_connect_time|
    // $upstream_header_time|$upstream_response_time|$connection_requests
    const fields = raw.trim().split('|');
    if (fields.length !== 10) continue;
    const [at, method, uri, status, total, upstream, connect, head] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    lines.push({
      at: Number(at),
      route: `${method} ${uri.replace(/[0-9a-f]{8}-[0-9a-f-]{27}[^/]*/g, ':id')}`,
      status: Number(status),
      total: Number(total),
      upstream,
      connect: sum(connect),
      head: sum(head),
    });
  }
  return lines;
}

const ms = (seconds: number) => `${Math.round(seconds * 1000).toLocaleString('en-US')}`;

function summary(lines: Line[]): string {
  const totals = lines.map((line) => line.total);
  return `${lines.length.toLocaleString('en-US')} | ${[50, 95, 99, 100].map((p) => ms(percentile(totals, p))).join(' / ')}`;
}

function table(title: string, groups: Map<string, Line[]>): string {
  const rows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, lines]) => `| ${key} | ${summary(lines)} |`);
  return [`| ${title} | requests | p50 / p95 / p99 / max ms |`, '| --- | ---: | ---: |', ...rows].join('\n');
}

export function nginxTimes(text: string): string {
  const lines = parse(text);
  if (lines.length === 0) return 'no `timing` lines in the log';
  const p99 = percentile(
    lines.map((line) => line.total),
    99,
  );
  const slow = lines.filter((line) => line.total >= p99);
  const share = (pick: (line: Line) => number) => {
    const all = slow.reduce((total, line) => total + line.total, 0);
    return `${((slow.reduce((total, line) => total + pick(line), 0) / all) * 100).toFixed(1)} %`;
  };
  const first = Math.min(...lines.map((line) => line.at));
  return [
    table(
      'route',
      Map.groupBy(lines, (line) => line.route),
    ),
    '',
    table(
      'upstream',
      Map.groupBy(lines, (line) => line.upstream),
    ),
    '',
    table(
      'upstream connection',
      Map.groupBy(lines, (line) => (line.connect > 0 ? 'new (connect time > 0)' : 'kept alive')),
    ),
    '',
    table(
      'answered in seconds',
      Map.groupBy(lines, (line) => {
        const from = Math.floor((line.at - first) / 5) * 5;
        return `${String(from).padStart(3, '0')}–${from + 5}`;
      }),
    ),
    '',
    `The slowest 1 % (${slow.length.toLocaleString('en-US')} requests at or over ${ms(p99)} ms): ` +
      `${share((line) => line.connect)} of their time waiting for an upstream connection, ` +
      `${share((line) => Math.max(0, line.head - line.connect))} waiting for the upstream's answer head, ` +
      `${share((line) => Math.max(0, line.total - line.head))} in Nginx after it (the body, the client).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run load:nginx-times -- <access log in the `timing` format>');
    process.exit(2);
  }
  console.log(nginxTimes(readFileSync(file, 'utf8')));
}
