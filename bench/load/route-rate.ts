import autocannon from 'autocannon';
import { hasWrk, runWrk, type WrkResult } from './wrk.js';

const useWrk = hasWrk() && process.env.LOAD_TOOL !== 'autocannon';

/** The tool that drives a single route: wrk with one thread (it shares the machine), else autocannon. */
export const routeTool = useWrk ? 'wrk -t1' : 'autocannon';

/** One route driven by `connections` for `seconds`: its rate, median and p99 (ms), and failures. */
export function routeRate(url: string, connections: number, seconds: number): Promise<WrkResult> {
  return useWrk ? runWrk(url, connections, seconds) : runAutocannon(url, connections, seconds);
}

async function runAutocannon(url: string, connections: number, seconds: number): Promise<WrkResult> {
  const result = await autocannon({ url, connections, duration: seconds, headers: { accept: 'application/json' } });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}
