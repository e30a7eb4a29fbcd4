import { SseParser } from '../load/sse-parser.js';

/** One `sample` as it arrived: when (performance.now()) and the tickets sold it showed. */
export interface SeenSample {
  at: number;
  sold: number;
}

/**
 * `count` organizers with the live dashboard open: each one SSE stream of
 * /api/admin/shows/:id/live, read and parsed as the page does. Every sample is kept for the latency.
 */
export function openDashboards(url: string, showId: string, token: string, count: number): { samples: SeenSample[][]; close(): void } {
  const controller = new AbortController();
  const samples: SeenSample[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < count; i++) void listen(`${url}/api/admin/shows/${showId}/live`, token, controller.signal, samples[i]!);
  return { samples, close: () => controller.abort() };
}

async function listen(url: string, token: string, signal: AbortSignal, into: SeenSample[]): Promise<void> {
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
    if (!response.ok) throw new Error(`the live stream answered ${response.status}`);
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      const at = performance.now();
      for (const event of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        if (event.event === 'sample') into.push({ at, sold: (JSON.parse(event.data) as { sold: number }).sold });
      }
    }
  } catch (error) {
    if (!signal.aborted) console.error(`[dashboard] a stream failed: ${String(error)}`);
  }
}

/**
 * Milliseconds from each ticket's confirmation (as the load's client saw its answer) to the first
 * sample, on each dashboard, whose sold count includes it. Negative when the sample showed it
 * before the buyer had the answer (the read model was faster than the response).
 */
export function bookingToDashboardMs(confirmedAt: number[], dashboards: SeenSample[][]): number[] {
  const latencies: number[] = [];
  for (const samples of dashboards) {
    let shown = 0;
    for (const sample of samples) {
      for (; shown < Math.min(sample.sold, confirmedAt.length); shown++) latencies.push(sample.at - confirmedAt[shown]!);
    }
  }
  return latencies;
}
