/**
 * Resolves once `check` holds, polling every 20 ms; rejects naming `what` after `timeoutMs`. The network is
 * real (sockets, relay batches, MVDS epochs), so the demo waits for outcomes rather than fixed delays.
 */
export async function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
