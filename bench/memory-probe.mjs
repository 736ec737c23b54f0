// Preloaded into the service by `npm run bench` (node --expose-gc --import bench/memory-probe.mjs): on SIGWINCH it
// collects garbage and appends the process's memory to MEMORY_PROBE_FILE as one JSON line, so the soak phase reads
// the heap that is still referenced, not the garbage a burst of requests left behind. Bench instrumentation only.
// SIGWINCH because it is ignored by default and the service's shutdown hooks take SIGUSR2 (as Nest's do).
import { appendFileSync } from 'node:fs';

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  process.on('SIGWINCH', () => {
    global.gc?.();
    // V8 returns freed pages to the system from background threads after a collection: read once they are back
    setTimeout(() => {
      global.gc?.();
      const m = process.memoryUsage();
      appendFileSync(file, `${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external })}\n`);
    }, 500);
  });
}
