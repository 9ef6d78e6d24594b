import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { currentProfile } from './profile.js';
import type { ServiceFigures } from './service.js';

/** One line of the suite's results: an attack, a fault, the load run or a fuzzed decoder. */
export interface Figure {
  readonly kind: 'attack' | 'fault' | 'load' | 'fuzz';
  readonly name: string;
  /** What was sent or done, in words with numbers ("120,000 envelopes of TTL 10^6 s in 7 packets"). */
  readonly sent: string;
  /** The victim process was alive at the end. */
  readonly up?: boolean;
  readonly honest?: ServiceFigures;
  readonly peakRssMb?: number;
  readonly rssBoundMb?: number;
  /** Live heap + external memory after a full GC at the end of the attack, and its bound (when that is what is bounded). */
  readonly liveMb?: number;
  readonly liveBoundMb?: number;
  /** Drops the victim counted, by reason. */
  readonly drops?: Record<string, number>;
  /** Faults: messages lost and duplicated. */
  readonly lost?: number;
  readonly duplicated?: number;
  readonly note?: string;
}

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

/** Appends the figure to `results/<profile>.jsonl` (read by `src/report.ts`) and prints it. */
export function record(figure: Figure): void {
  mkdirSync(resultsDir, { recursive: true });
  const line = { ...figure, profile: currentProfile().name, at: new Date().toISOString() };
  appendFileSync(`${resultsDir}${currentProfile().name}.jsonl`, `${JSON.stringify(line)}\n`);
  console.log(`[reliability] ${describe(figure)}`);
}

export function describe(f: Figure): string {
  const parts = [`${f.kind} ${f.name}: ${f.sent}`];
  if (f.up !== undefined) parts.push(f.up ? 'victim up' : 'VICTIM DOWN');
  if (f.honest)
    parts.push(`honest ${f.honest.ok}/${f.honest.total}, p50 ${f.honest.p50Ms} ms, p99 ${f.honest.p99Ms} ms`);
  if (f.honest?.firstError) parts.push(`first honest failure: ${f.honest.firstError}`);
  if (f.peakRssMb !== undefined) parts.push(`peak RSS ${f.peakRssMb} MB (bound ${f.rssBoundMb ?? '-'})`);
  if (f.liveMb !== undefined) parts.push(`live after GC ${f.liveMb} MB (bound ${f.liveBoundMb ?? '-'})`);
  if (f.lost !== undefined) parts.push(`lost ${f.lost}, duplicated ${f.duplicated ?? 0}`);
  if (f.drops && Object.keys(f.drops).length > 0)
    parts.push(
      `drops ${Object.entries(f.drops)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  if (f.note) parts.push(f.note);
  return parts.join('; ');
}

/** Non-zero entries of a counters object, for the `drops` column. */
export function nonZero(counters: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(counters ?? {}))
    if (typeof value === 'number' && value !== 0) out[key] = value;
  return out;
}
