/** multiformats unsigned-varint: 7 bits per byte, least significant group first, at most 9 bytes. */
const MAX_VARINT_BYTES = 9;

export function encodeUvarint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

/**
 * Reads a varint at the start of `bytes`: its value and byte length, or undefined when truncated, longer
 * than 9 bytes, or not minimally encoded (the spec forbids trailing zero groups). Values stay below 2^53.
 */
export function decodeUvarint(bytes: Uint8Array): { value: number; length: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < Math.min(bytes.length, MAX_VARINT_BYTES); i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > 0) return undefined;
      if (!Number.isSafeInteger(value)) return undefined;
      return { value, length: i + 1 };
    }
    scale *= 128;
  }
  return undefined;
}
