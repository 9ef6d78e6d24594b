/**
 * Round drivers for the side-by-side figures; the statistics come from tools/bench/harness.ts.
 */

/**
 * Runs `measure` for each side once per round, `rounds` times, alternating the order (round 1 first side
 * first, round 2 second side first, ...) so that neither side always runs on a warmer or colder process.
 * Returns each side's values per round, in round order (so `pairedRatios` pairs them).
 */
export async function alternatingRounds<S extends string>(
  sides: readonly S[],
  rounds: number,
  measure: (side: S, round: number) => Promise<number>,
): Promise<Record<S, number[]>> {
  const out = Object.fromEntries(sides.map((s) => [s, [] as number[]])) as Record<S, number[]>;
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) out[side].push(await measure(side, r));
  }
  return out;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Milliseconds until `met()` holds, polled every `pollMs` on a timer while `step` runs back to back (a lookup,
 * say); `Infinity` when `timeoutMs` passes first. Polling on a timer, not after each step, makes the figure
 * independent of how long one step of each implementation takes.
 */
export async function timeToCriterion(
  met: () => boolean,
  step: () => Promise<unknown>,
  timeoutMs: number,
  pollMs = 5,
): Promise<number> {
  const t0 = performance.now();
  let done = false;
  void (async () => {
    while (!done) {
      await step().catch(() => {});
      // A step that settles at once (nobody to ask) must not starve the poll timer.
      await yieldToEventLoop();
    }
  })();
  try {
    return await new Promise<number>((resolve) => {
      const poll = () => {
        const elapsed = performance.now() - t0;
        if (met()) resolve(elapsed);
        else if (elapsed >= timeoutMs) resolve(Number.POSITIVE_INFINITY);
        else setTimeout(poll, pollMs);
      };
      poll();
    });
  } finally {
    done = true;
  }
}
