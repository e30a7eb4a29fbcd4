/**
 * Preloaded into every server process by `npm run bench:booking-garbage`
 * (`SERVER_NODE_ARGS=--import=./bench/load/allocation-sampler.ts`, with `ALLOCATION_PROFILE_DIR`):
 * the first SIGUSR2 starts V8's sampling heap profiler, counting objects the garbage collector has
 * already taken (a profile of what is allocated, not of what is kept); the second stops it and writes
 * `<pid>.heapprofile` into the directory. The load tool sends both, at the window's start and end.
 * Plain erasable TypeScript: Node loads it before tsx.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.ALLOCATION_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      sampling = true;
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 8192,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return;
    }
    sampling = false;
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) console.error(`[allocation-sampler] ${process.pid}: ${error.message}`);
      else writeFileSync(path.join(dir, `${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  });
}
