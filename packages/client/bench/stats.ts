/** Small numeric and formatting helpers shared by the bench sections (no dependency on the SDK). */

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The median (mean of the two middle values for an even count), not a percentile pick. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `median (min–max)` in ms, so a reader sees the spread across rounds next to the figure. */
export function spread(values: readonly number[], digits = 0): string {
  if (values.length === 0) return 'n/a';
  const fmt = (v: number) => v.toFixed(digits);
  if (values.length === 1) return fmt(values[0]!);
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}

export function kib(bytes: number): string {
  return bytes >= 10 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits (wall clock: real sockets) until `check` holds; false after `timeoutMs` (a bench never throws for it). */
export async function until(check: () => boolean, timeoutMs: number, stepMs = 10): Promise<boolean> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) return false;
    await sleep(stepMs);
  }
  return true;
}

/** A positive integer from the environment, or the default (bad values are ignored, with a note). */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.log(`(ignoring ${name}=${raw}: not a positive integer; using ${fallback})`);
    return fallback;
  }
  return value;
}

/** Wall and CPU time (user + system of the whole process, so other in-process work counts) of `run`. */
export async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}
