import { yieldToEventLoop } from '@status-ts/core';

/**
 * Time to a criterion for the side-by-side figures; rounds and statistics come from tools/bench/harness.ts.
 */

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
