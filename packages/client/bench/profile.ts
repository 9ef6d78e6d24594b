/**
 * Optional CPU profiles of chosen windows (BENCH_PROFILE=<directory>): `--cpu-prof` would profile the whole
 * run, whose set-up (Alice sealing 1,000 envelopes) drowns the window under study. Each window is written
 * as `<directory>/<name>.cpuprofile` (open in Chrome DevTools or speedscope) and summarised as its top
 * self-time functions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
}

const directory = process.env.BENCH_PROFILE;
let session: Session | undefined;

/** Runs `run`, profiled when BENCH_PROFILE is set; prints the top self-time functions of the window. */
export async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!directory) return run();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
  }
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    printTop(name, profile, file);
  }
}

function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/packages\//, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function printTop(name: string, profile: Profile, file: string): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const key = frameKey(node);
    self.set(key, (self.get(key) ?? 0) + hits);
    // Each function on the stack once (recursion is not counted twice).
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      onStack.add(frameKey(byId.get(id)!));
    }
    for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + hits);
  }
  const pct = (hits: number) => `${((100 * hits) / total).toFixed(1).padStart(5)}%`;
  console.log(`\nprofile ${name} (${file}), ${total} samples; top self time:`);
  for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${pct(hits)}  ${key}`);
  }
  console.log('top inclusive time (bench/, client/ and layer functions):');
  const ours = [...inclusive].filter(([key]) =>
    /(client|waku|secure-transport|mvds|payloads|mailserver|devp2p|crypto|core)\/src/.test(key),
  );
  for (const [key, hits] of ours.sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`  ${pct(hits)}  ${key}`);
}
