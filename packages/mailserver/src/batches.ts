import type { Envelope } from '@status-ts/waku';

/**
 * Splits a page into P2P Message batches as status-go does (MAIL-06): envelopes join the current batch while
 * their RLP adds up to less than `maxBatchBytes`; when the page reached its limit, the last envelope goes
 * in a batch of its own. Without `batch` (Whisper-era requests) every envelope is its own message.
 */
export function splitIntoBatches(
  envelopes: readonly Envelope[],
  options: { maxBatchBytes: number; limitReached: boolean; batch: boolean },
): Envelope[][] {
  if (!options.batch) return envelopes.map((e) => [e]);
  const batches: Envelope[][] = [];
  let bundle: Envelope[] = [];
  let bundleSize = 0;
  envelopes.forEach((envelope, i) => {
    const size = envelope.raw.length;
    const limitReached = options.limitReached && i === envelopes.length - 1;
    const newSize = bundleSize + size;
    if (!limitReached && newSize < options.maxBatchBytes) {
      bundle.push(envelope);
      bundleSize = newSize;
      return;
    }
    if (bundle.length > 0) batches.push(bundle);
    bundle = [envelope];
    bundleSize = size;
  });
  if (bundle.length > 0) batches.push(bundle);
  return batches;
}
