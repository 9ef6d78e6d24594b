/**
 * A compact Map key for a byte string: one UTF-16 code unit per byte. Much cheaper to build than hex and
 * never shown to anyone; only for in-memory maps.
 */
export function byteKey(bytes: Uint8Array): string {
  let key = '';
  // Chunks keep the argument list short for long inputs.
  for (let i = 0; i < bytes.length; i += 4096) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return key;
}
