import { expect } from 'chai';

/** Reads `sample` events of the live stream until `done` says so (or 10 s pass), then hangs up. */
export async function samplesUntil(
  url: string,
  token: string,
  done: (sample: any, all: any[]) => boolean,
): Promise<{ samples: any[]; ms: number }> {
  const controller = new AbortController();
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).to.equal(200);
  expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const samples: any[] = [];
  let buffer = '';
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!data) continue;
        samples.push(JSON.parse(data[1]!));
        if (done(samples.at(-1), samples)) return { samples, ms: performance.now() - started };
      }
    }
  } catch {
    // aborted after 10 s
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { samples, ms: Infinity };
}
