/** What an honest peer saw while a scenario ran: how many of its operations succeeded, and how fast. */
export interface ServiceFigures {
  readonly ok: number;
  readonly total: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The first failure, to say why service was refused. */
  readonly firstError?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function serviceFigures(
  latencies: readonly number[],
  total: number,
  firstError?: string,
): ServiceFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ok: sorted.length,
    total,
    p50Ms: Math.round(percentile(sorted, 50)),
    p99Ms: Math.round(percentile(sorted, 99)),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/**
 * Runs `operation` every `intervalMs` for `durationMs` (each one bounded by `timeoutMs`; they may overlap),
 * and reports the share that succeeded and their latency. Wall clock: real sockets and real peers.
 */
export async function measureService(
  operation: (index: number) => Promise<unknown>,
  options: { durationMs: number; intervalMs: number; timeoutMs: number },
): Promise<ServiceFigures> {
  const latencies: number[] = [];
  const runs: Promise<void>[] = [];
  let firstError: string | undefined;
  const started = Date.now();
  for (let index = 0; Date.now() - started < options.durationMs; index++) {
    const begin = performance.now();
    runs.push(
      withTimeout(operation(index), options.timeoutMs).then(
        () => {
          latencies.push(performance.now() - begin);
        },
        (error: unknown) => {
          firstError ??=
            error instanceof Error
              ? `${(error as { code?: string }).code ?? ''} ${error.message}`.trim()
              : String(error);
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  await Promise.all(runs);
  return serviceFigures(latencies, runs.length, firstError);
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
