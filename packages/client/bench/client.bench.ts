/**
 * Client benchmark (issue 17): nodes on 127.0.0.1 with real sockets and timers. Prints figures only and
 * never fails a build. Sections:
 *   latency  send → receive latency (public, 1:1), time in send, 1:1 throughput (bench/latency.ts)
 *   history  Bob fetching and decrypting missed 1:1 messages vs the sum of its parts (bench/history*.ts)
 *   bytes    a mobile node's bytes in its first minute and per idle hour (bench/bytes.ts)
 * Environment (all optional):
 *   BENCH_ONLY=latency,history,bytes   sections to run (default all)
 *   BENCH_MISSED=1000                  missed messages in the history section
 *   BENCH_ROUNDS=3                     interleaved end-to-end / parts rounds
 *   BENCH_FIRST_MINUTE_MS=60000        the "first minute" (shorten only for quick runs)
 *   BENCH_IDLE_MS=60000                the idle window extrapolated to an hour
 *   BENCH_PROFILE=<directory>          CPU profiles of each history round's window, with their top functions
 *                                      (diagnosis only: the profiler slows what it measures)
 */
import { runBytes } from './bytes.js';
import { runHistory } from './history.js';
import { runLatency } from './latency.js';
import { envInt } from './stats.js';

const SECTIONS = ['latency', 'history', 'bytes'] as const;
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const runs = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);

async function section(name: (typeof SECTIONS)[number], run: () => Promise<void>): Promise<void> {
  if (!runs(name)) return;
  try {
    await run();
  } catch (error) {
    // A benchmark reports, it does not fail the build: say what broke and go on with the next section.
    console.log(
      `\n(${name} section failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)})`,
    );
  }
}

await section('latency', runLatency);
await section('history', () => runHistory(envInt('BENCH_MISSED', 1000), envInt('BENCH_ROUNDS', 3)));
await section('bytes', () =>
  runBytes(envInt('BENCH_FIRST_MINUTE_MS', 60_000), envInt('BENCH_IDLE_MS', 60_000)),
);
