import { createRequire } from 'node:module';
import type { QRCodeSegment } from 'qrcode';

/** qrcode's mode objects (lib/core/mode.js): compared by identity, as qrcode does. */
interface QrMode {
  id: string;
  bit: number;
  ccBits: number[];
}

const require = createRequire(import.meta.url);
const Mode = require('qrcode/lib/core/mode.js') as {
  NUMERIC: QrMode;
  ALPHANUMERIC: QrMode;
  BYTE: QrMode;
  KANJI: QrMode;
  getCharCountIndicator(mode: QrMode, version: number): number;
};
const Regex = require('qrcode/lib/core/regex.js') as { NUMERIC: RegExp; ALPHANUMERIC: RegExp; BYTE_KANJI: RegExp };
const Segments = require('qrcode/lib/core/segments.js') as { rawSplit(text: string): unknown[] };
const Version = require('qrcode/lib/core/version.js') as { getBestVersionForData(segments: unknown[], level: unknown): number | undefined };
const Level = require('qrcode/lib/core/error-correction-level.js') as { M: unknown };
const Utils = require('qrcode/lib/core/utils.js') as { isKanjiModeEnabled(): boolean };

interface Node {
  data: string;
  mode: QrMode;
  length: number;
}

/**
 * The segments qrcode's `Segments.fromString` chooses for `text` at level M (its fewest-bits split
 * into numeric, alphanumeric and byte runs), found by the same graph and the same shortest path,
 * ties broken the same way, but with a heap where dijkstrajs sorts its whole queue on every push,
 * which was most of a ticket image's time. Undefined when qrcode's Kanji mode is on (it is not
 * here): then qrcode's own split applies.
 */
export function qrSegments(text: string): QRCodeSegment[] | undefined {
  if (Utils.isKanjiModeEnabled()) return undefined;
  const version = Version.getBestVersionForData(Segments.rawSplit(text), Level.M) || 40;
  const groups = nodesOf(runsOf(text));
  const path = shortestPath(graphOf(groups, version), groups);
  // consecutive runs of one mode become one segment (qrcode's mergeSegments)
  const merged: { data: string; mode: string }[] = [];
  for (const node of path) {
    const mode = node.mode.id.toLowerCase();
    const last = merged[merged.length - 1];
    if (last && last.mode === mode) last.data += node.data;
    else merged.push({ data: node.data, mode });
  }
  return merged as QRCodeSegment[];
}

/** The text's numeric, alphanumeric and byte runs in order (qrcode's getSegmentsFromString, Kanji off). */
function runsOf(text: string): Node[] {
  const runs: (Node & { index: number })[] = [];
  for (const [regex, mode] of [
    [Regex.NUMERIC, Mode.NUMERIC],
    [Regex.ALPHANUMERIC, Mode.ALPHANUMERIC],
    [Regex.BYTE_KANJI, Mode.BYTE],
  ] as const) {
    const global = new RegExp(regex.source, 'g');
    for (let found = global.exec(text); found !== null; found = global.exec(text)) {
      runs.push({ data: found[0], index: found.index, mode, length: found[0].length });
    }
  }
  return runs.sort((a, b) => a.index - b.index).map(({ data, mode, length }) => ({ data, mode, length }));
}

/** Each run and the modes it may also be written in (qrcode's buildNodes). */
function nodesOf(runs: Node[]): Node[][] {
  return runs.map((run) => {
    if (run.mode === Mode.NUMERIC) return [run, { ...run, mode: Mode.ALPHANUMERIC }, { ...run, mode: Mode.BYTE }];
    if (run.mode === Mode.ALPHANUMERIC) return [run, { ...run, mode: Mode.BYTE }];
    return [{ data: run.data, mode: Mode.BYTE, length: Buffer.byteLength(run.data) }];
  });
}

function bitsOf(length: number, mode: QrMode): number {
  if (mode === Mode.NUMERIC) return 10 * Math.floor(length / 3) + (length % 3 ? (length % 3) * 3 + 1 : 0);
  if (mode === Mode.ALPHANUMERIC) return 11 * Math.floor(length / 2) + 6 * (length % 2);
  if (mode === Mode.KANJI) return length * 13;
  return length * 8;
}

type Graph = Map<string, [to: string, bits: number][]>;

/** qrcode's buildGraph, edge for edge: a node's `lastCount` runs on across the group as there. */
function graphOf(groups: Node[][], version: number): Graph {
  const table = new Map<string, { node: Node; lastCount: number }>();
  const graph: Graph = new Map([['start', []]]);
  let previous = ['start'];
  groups.forEach((group, i) => {
    const current: string[] = [];
    group.forEach((node, j) => {
      const key = `${i}${j}`;
      current.push(key);
      table.set(key, { node, lastCount: 0 });
      graph.set(key, []);
      for (const id of previous) {
        const before = table.get(id);
        let bits: number;
        if (before && before.node.mode === node.mode) {
          bits = bitsOf(before.lastCount + node.length, node.mode) - bitsOf(before.lastCount, node.mode);
          before.lastCount += node.length;
        } else {
          if (before) before.lastCount = node.length;
          bits = bitsOf(node.length, node.mode) + 4 + Mode.getCharCountIndicator(node.mode, version);
        }
        graph.get(id)!.push([key, bits]);
      }
    });
    previous = current;
  });
  for (const id of previous) graph.get(id)!.push(['end', 0]);
  return graph;
}

/**
 * dijkstrajs' find_path from start to end: its queue is kept sorted by cost, stably (a new entry
 * after the equal ones), popped from the front; here a heap on (cost, order of entry) pops the same.
 */
function shortestPath(graph: Graph, groups: Node[][]): Node[] {
  const costs = new Map<string, number>([['start', 0]]);
  const predecessors = new Map<string, string>();
  const heap: [cost: number, entry: number, id: string][] = [];
  let entries = 0;
  const push = (item: [number, number, string]) => {
    heap.push(item);
    for (let at = heap.length - 1; at > 0;) {
      const parent = (at - 1) >> 1;
      if (!before(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let at = 0; ;) {
        const [l, r] = [2 * at + 1, 2 * at + 2];
        let least = at;
        if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
        if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
        if (least === at) break;
        [heap[at], heap[least]] = [heap[least]!, heap[at]!];
        at = least;
      }
    }
    return top;
  };
  push([0, entries++, 'start']);
  while (heap.length > 0) {
    const [cost, , id] = pop();
    for (const [to, bits] of graph.get(id) ?? []) {
      const known = costs.get(to);
      if (known === undefined || known > cost + bits) {
        costs.set(to, cost + bits);
        push([cost + bits, entries++, to]);
        predecessors.set(to, id);
      }
    }
  }
  const path: Node[] = [];
  for (let id = predecessors.get('end'); id !== undefined && id !== 'start'; id = predecessors.get(id)) {
    const [i, j] = [Number(id.slice(0, -1)), Number(id.slice(-1))];
    path.push(groups[i]![j]!);
  }
  return path.reverse();
}

function before(a: [number, number, string], b: [number, number, string]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
