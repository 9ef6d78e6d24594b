import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/**
 * What every benchmark shares: interleaved rounds (a load spike on a shared machine hits every workload of the
 * round alike), median and spread instead of one run, ratios taken per round, the machine load around the
 * run, and one row per figure for the root table (`pnpm bench` writes docs/performance.md from the rows).
 */

/** Median and spread of a sample. `low`/`high` are the 25th and 75th percentiles (nearest rank). */
export interface Spread {
  median: number;
  low: number;
  high: number;
  min: number;
  max: number;
  rounds: number;
}

function rank(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('summarize needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    median,
    low: rank(sorted, 0.25),
    high: rank(sorted, 0.75),
    min: sorted[0]!,
    max: sorted.at(-1)!,
    rounds: sorted.length,
  };
}

/** `1,234 [1,100–1,300]`: the median, then the interquartile range. */
export function formatSpread(s: Spread, digits = 0): string {
  const f = (x: number) =>
    x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)} [${f(s.low)}–${f(s.high)}]`;
}

/** Per-round ratios `ours[i] / theirs[i]` of two workloads measured in the same rounds. */
export function pairedRatios(ours: readonly number[], theirs: readonly number[]): number[] {
  if (ours.length !== theirs.length) throw new Error('paired ratios need the same number of rounds');
  return ours.map((x, i) => x / theirs[i]!);
}

/** Whether a figure is better high (a rate) or low (a time, a size). */
export type Better = 'higher' | 'lower';

/**
 * Per-round factors by which ours beats theirs, above 1 when ours is better: `ours / theirs` for rates,
 * `theirs / ours` for times. The root table's ratio column is always this, so it reads the same way for every row.
 */
export function pairedSpeedups(ours: readonly number[], theirs: readonly number[], better: Better): number[] {
  return better === 'higher' ? pairedRatios(ours, theirs) : pairedRatios(theirs, ours);
}

/** One workload: `run` performs `ops` operations (sync or async) per call. */
export interface Workload {
  ops: number;
  run: () => unknown;
}

export interface RoundOptions {
  rounds?: number;
  /** Calls of each workload before the first timed round (JIT, caches, connections). */
  warmup?: number;
  /**
   * Reverse the order every other round, so no workload always runs first or right after the same other one
   * (whose garbage it would collect). Default: the same order every round.
   */
  alternate?: boolean;
  /** Reads the time in ms; `performance.now` unless a test injects one. */
  now?: () => number;
}

/**
 * Runs `measure` for each name once per round, `rounds` times, in the order given, reversed every other round
 * when `alternate` is set; returns each name's values in round order (so `pairedRatios` pairs them). For
 * figures that are not operations per second (a time to a criterion, a count); `interleavedRounds` uses it.
 */
export async function alternatingRounds<K extends string>(
  names: readonly K[],
  rounds: number,
  measure: (name: K, round: number) => number | Promise<number>,
  alternate = true,
): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  const reversed = [...names].reverse();
  for (let r = 0; r < rounds; r++) {
    for (const name of alternate && r % 2 === 1 ? reversed : names) out[name].push(await measure(name, r));
  }
  return out;
}

/**
 * Runs every workload once per round (in the same order each round, or alternating: `options.alternate`),
 * `rounds` times; returns each workload's operations per second per round (so `summarize` and `pairedRatios`
 * apply).
 */
export async function interleavedRounds<K extends string>(
  workloads: Record<K, Workload>,
  options: RoundOptions = {},
): Promise<Record<K, number[]>> {
  const warmup = options.warmup ?? 1;
  const now = options.now ?? (() => performance.now());
  const names = Object.keys(workloads) as K[];
  for (const name of names) for (let i = 0; i < warmup; i++) await workloads[name].run();
  return alternatingRounds(
    names,
    options.rounds ?? 7,
    async (name) => {
      const started = now();
      await workloads[name].run();
      const ms = Math.max(now() - started, 1e-6);
      return (workloads[name].ops / ms) * 1000;
    },
    options.alternate ?? false,
  );
}

export interface MachineLoad {
  /** One-minute load average (0 on Windows). */
  load1: number;
  cores: number;
  cpu: string;
}

export function machineLoad(): MachineLoad {
  return { load1: loadavg()[0]!, cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' };
}

/** `load 0.42 on 2 cores`: printed before and after a bench, so a reader can discount a loaded run. */
export function describeLoad(load: MachineLoad = machineLoad()): string {
  return `load ${load.load1.toFixed(2)} on ${load.cores} cores`;
}

/**
 * One figure of the root table. `ours`, `peer.value` and `bound.value` are in `unit`; `better` says which way is
 * better (default `'higher'`). `peer.ratio` is the factor by which ours beats the peer (`pairedSpeedups`: above
 * 1 when ours is better); `bound.share` is how close ours comes to the bound (1 = at the bound).
 */
export interface FigureRow {
  package: string;
  figure: string;
  unit: string;
  better?: Better;
  ours: Spread;
  peer?: { name: string; value: Spread; ratio: Spread };
  bound?: { name: string; value: Spread; share: Spread };
  /** Marks the row as one point of a chart: the series it belongs to and its x value (e.g. a message size). */
  series?: { name: string; x: number };
  loadBefore: number;
  loadAfter: number;
}

/** Appends `row` to the file named by `STATUS_BENCH_RESULTS` (JSON lines), which the root `pnpm bench` reads. */
export function recordFigure(row: FigureRow, file = process.env.STATUS_BENCH_RESULTS): void {
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
