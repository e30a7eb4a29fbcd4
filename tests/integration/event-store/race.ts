import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { WrongExpectedVersion } from '../../../src/application/ports/event-store.errors.js';
import { uniqueName } from '../../support/services.js';

export interface RaceShape {
  hotWriters: number;
  appendsPerHotWriter: number;
  streamWriters: number;
  /** Appends of two events each, per distinct stream. */
  appendsPerStream: number;
  gapless: boolean;
}

export interface RaceReport {
  committed: number;
  duplicates: string[];
  outOfOrder: number[];
  gaps: number[];
  missing: string[];
  hotVersions: number[];
}

/** What every race must show: each event seen once, in order, without gaps or losses, and the hot stream's versions 1..n. */
export function expectCleanRace(report: RaceReport, shape: RaceShape): void {
  expect(report.duplicates, 'events seen twice').to.deep.equal([]);
  expect(report.outOfOrder, 'positions not increasing').to.deep.equal([]);
  expect(report.gaps, 'gaps in positions').to.deep.equal([]);
  expect(report.missing, 'committed events the reader never saw').to.deep.equal([]);
  const hot = shape.hotWriters * shape.appendsPerHotWriter;
  expect(report.hotVersions).to.deep.equal(Array.from({ length: hot }, (_, i) => i + 1));
}

/**
 * Writers append concurrently (optimistic retries on one hot stream, plain appends on distinct
 * streams) through the given stores, while a live reader follows the global log from position 0
 * with readAll + waitForEvents and records what it saw.
 */
export async function raceOnStreams(stores: EventStore[], shape: RaceShape): Promise<RaceReport> {
  const hot = uniqueName('hot');
  const committed = new Set<string>();
  const reader = startReader(stores[0], shape.gapless);
  const storeFor = (i: number) => stores[i % stores.length];

  const hotWriters = Array.from({ length: shape.hotWriters }, async (_, w) => {
    let version = 0;
    for (let i = 0; i < shape.appendsPerHotWriter; i++) {
      const e = { id: randomUUID(), type: 'HotTested', data: { w, i } };
      for (;;) {
        try {
          version = (await storeFor(w).append(hot, [e], version)).versions[hot];
          committed.add(e.id);
          break;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersion)) throw error;
          version = error.actual;
        }
      }
    }
  });
  const streamWriters = Array.from({ length: shape.streamWriters }, async (_, w) => {
    const stream = uniqueName('cold');
    for (let i = 0; i < shape.appendsPerStream; i++) {
      const events = [0, 1].map((k) => ({ id: randomUUID(), type: 'ColdTested', data: { w, i, k } }));
      await storeFor(w + 1).append(stream, events, i * 2);
      for (const e of events) committed.add(e.id);
    }
  });
  await Promise.all([...hotWriters, ...streamWriters]);

  const seen = await reader.until(committed, 20_000);
  const hotVersions = (await stores[0].readStream(hot)).map((e) => e.version);
  return {
    committed: committed.size,
    duplicates: seen.duplicates,
    outOfOrder: seen.outOfOrder,
    gaps: seen.gaps,
    missing: [...committed].filter((id) => !seen.ids.has(id)),
    hotVersions,
  };
}

function startReader(store: EventStore, gapless: boolean) {
  const ids = new Set<string>();
  const duplicates: string[] = [];
  const outOfOrder: number[] = [];
  const gaps: number[] = [];
  const controller = new AbortController();
  let target: Set<string> | undefined;
  let after = 0;
  const done = (async () => {
    while (!controller.signal.aborted) {
      const page = await store.readAll(after, 250);
      for (const e of page) {
        if (e.position <= after) outOfOrder.push(e.position);
        if (gapless && e.position !== after + 1) gaps.push(e.position);
        if (ids.has(e.id)) duplicates.push(e.id);
        ids.add(e.id);
        after = e.position;
      }
      if (target && [...target].every((id) => ids.has(id))) return;
      if (page.length === 0) await store.waitForEvents(after, 250, controller.signal);
    }
  })();
  return {
    async until(committed: Set<string>, timeoutMs: number) {
      target = committed;
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      await done;
      clearTimeout(timer);
      return { ids, duplicates, outOfOrder, gaps };
    },
  };
}
