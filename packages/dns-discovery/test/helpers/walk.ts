import { seededRandom } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';

/** Lets queued promise callbacks and immediates run (in-memory resolvers answer within a few turns). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Takes `count` values from `next`, failing if one of them does not arrive within the settle turns. */
export async function take(next: () => Promise<Enr | undefined>, count: number): Promise<Enr[]> {
  const out: Enr[] = [];
  for (let i = 0; i < count; i++) {
    const value = await next();
    if (value === undefined) throw new Error(`walk ended after ${i} records`);
    out.push(value);
  }
  return out;
}

/** True while `promise` has not settled after the settle turns. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await settle();
  return !done;
}

/** A seeded random source, so walk orders are reproducible. */
export const seeded = seededRandom;
