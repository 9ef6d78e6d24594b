import { type Clock, systemClock } from '@status-ts/core';

// A WakuNode on a devp2p Server on 127.0.0.1: the same test network the waku package's own e2e tests use.
export { connect, type NetNode, startNetNode, stopAll } from '../../../waku/test/helpers/network.js';

/** Real timers, but `now()` can jump ahead: simulates days passing without waiting for them. */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  setTimeout(fn: () => void, ms: number) {
    return systemClock.setTimeout(fn, ms);
  }
  setInterval(fn: () => void, ms: number) {
    return systemClock.setInterval(fn, ms);
  }
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
