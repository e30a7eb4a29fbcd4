import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CATEGORIES, categorise, EXCLUDED, type Category, type ProfileNodes } from './cost-breakdown.js';

/** A V8 sampling heap profile (`HeapProfiler.stopSampling`), as much of it as the breakdown reads. */
export interface HeapNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** Bytes sampled at this frame (with collected objects counted: bytes allocated, not kept). */
  selfSize: number;
  children: HeapNode[];
}

/** What a process allocated, from its sampling heap profile. */
export interface Allocations {
  /** Bytes by the categories (the same rules as the CPU breakdown). */
  byCategory: Map<Category, number>;
  /** Bytes by the function that allocated (`name url:line`). */
  bySite: Map<string, number>;
  /** Bytes by the nearest frame of our own code (`src/…`) above the allocation: who asked for it. */
  byOwnFrame: Map<string, number>;
}

/** Sums every `*.heapprofile` in `dir` (one per server process). */
export function allocationsIn(dir: string): Allocations {
  const totals: Allocations = {
    byCategory: new Map(CATEGORIES.map((c) => [c, 0])),
    bySite: new Map(),
    byOwnFrame: new Map(),
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.heapprofile'))) {
    const { head } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { head: HeapNode };
    addProfile(head, totals);
  }
  return totals;
}

/** Adds one profile's tree to `totals`. */
export function addProfile(head: HeapNode, totals: Allocations): void {
  const nodes: HeapNode[] = [];
  const own = new Map<number, string>();
  const walk = (node: HeapNode, nearestOwn: string) => {
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    const here = url.includes('/src/') && !url.includes('node_modules') ? site(node) : nearestOwn;
    nodes.push(node);
    own.set(node.id, here);
    for (const child of node.children) walk(child, here);
  };
  walk(head, '(none of ours)');
  const flat: ProfileNodes = { nodes: nodes.map((n) => ({ id: n.id, callFrame: n.callFrame, children: n.children.map((c) => c.id) })) };
  const categoryOf = categorise(flat);
  for (const node of nodes) {
    if (node.selfSize === 0) continue;
    const category = categoryOf.get(node.id);
    if (category && category !== EXCLUDED) add(totals.byCategory, category, node.selfSize);
    add(totals.bySite, site(node), node.selfSize);
    add(totals.byOwnFrame, own.get(node.id)!, node.selfSize);
  }
}

/** `name file:line`; our own files without a line (tsx runs them as generated code, whose lines are not the source's). */
function site(node: HeapNode): string {
  const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/^.*?\/(src|node_modules)\//, '$1/');
  const name = node.callFrame.functionName || '(anonymous)';
  if (!url) return name;
  return url.startsWith('src/') ? `${name} ${url}` : `${name} ${url}:${node.callFrame.lineNumber + 1}`;
}

function add<K>(map: Map<K, number>, key: K, bytes: number): void {
  map.set(key, (map.get(key) ?? 0) + bytes);
}

/** A markdown table of the largest entries of `map`, in KB a booking and as a share of everything allocated. */
export function formatAllocations(title: string, map: Map<string, number>, bookings: number, total: number, top = 25): string {
  const rows = [...map.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, bytes]) =>
        `| ${key.replace(/\|/g, '\\|')} | ${(bytes / 1024 / bookings).toFixed(1)} | ${((100 * bytes) / total).toFixed(1)} % |`,
    );
  return [`| ${title} | KB a booking | share |`, '| --- | ---: | ---: |', ...rows].join('\n');
}
