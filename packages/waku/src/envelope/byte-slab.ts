/**
 * Zeroed bytes for small sealed envelopes, carved from shared 8 KiB slabs as Node's Buffer pool does: a typed
 * array above 64 bytes lives off the V8 heap, and allocating one costs about as much as a seal attempt.
 * Slabs are never reused, so the bytes start zeroed; a carved envelope keeps its slab alive (8 KiB at
 * most), and `Envelope.compact()` copies it out when an envelope is kept long.
 */
const SLAB_SIZE = 8192;
/** Larger requests get an array of their own. */
const MAX_CARVED = 1024;

let slab: ArrayBuffer | undefined;
let used = 0;

export function allocateEnvelopeBytes(length: number): Uint8Array {
  if (length > MAX_CARVED) return new Uint8Array(length);
  if (slab === undefined || used + length > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    used = 0;
  }
  const bytes = new Uint8Array(slab, used, length);
  used += (length + 7) & ~7; // keep each carve 8-byte aligned
  return bytes;
}
