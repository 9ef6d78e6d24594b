// HMAC-SHA256 and HKDF-SHA256 for many tiny inputs (the Double Ratchet's 1-byte chain steps, 32-byte keys,
// short associated data). node:crypto spends 5-25 µs per call crossing into C++ and building objects for
// a handful of 64-byte blocks; this SHA-256 runs the blocks in JavaScript on reused buffers, with the HMAC
// key pads hashed once per key. Checked against hmacSha256 / hkdfSha256 on random inputs
// (test/hmac-small.test.ts). For long inputs use hmacSha256 / hkdfSha256.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);
const BLOCK = new Uint8Array(64);

/** One SHA-256 compression of `data[offset..offset+64]` into `state`. */
function compress(state: Int32Array, data: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

const WORK = new Int32Array(8);
const DIGEST = new Uint8Array(32);
const INNER = new Int32Array(8);
const OUTER = new Int32Array(8);
const PAD = new Uint8Array(64);

/**
 * Finishes SHA-256 over `parts` starting from `initial` (a state after `prefix` bytes, a multiple of 64)
 * and writes the 32-byte digest to `out` at `outOffset`.
 */
function finish(
  initial: Int32Array,
  prefix: number,
  parts: readonly Uint8Array[],
  out: Uint8Array,
  outOffset: number,
): void {
  const state = WORK;
  state.set(initial);
  let fill = 0;
  let total = prefix;
  for (const part of parts) {
    let i = 0;
    total += part.length;
    if (fill > 0) {
      const take = Math.min(64 - fill, part.length);
      for (let j = 0; j < take; j++) BLOCK[fill + j] = part[j]!;
      fill += take;
      i = take;
      if (fill < 64) continue;
      compress(state, BLOCK, 0);
      fill = 0;
    }
    for (; i + 64 <= part.length; i += 64) compress(state, part, i);
    for (; i < part.length; i++) BLOCK[fill++] = part[i]!;
  }
  BLOCK[fill++] = 0x80;
  if (fill > 56) {
    BLOCK.fill(0, fill);
    compress(state, BLOCK, 0);
    fill = 0;
  }
  BLOCK.fill(0, fill, 56);
  const bits = total * 8;
  const high = Math.floor(bits / 0x100000000);
  BLOCK[56] = high >>> 24;
  BLOCK[57] = high >>> 16;
  BLOCK[58] = high >>> 8;
  BLOCK[59] = high;
  BLOCK[60] = bits >>> 24;
  BLOCK[61] = bits >>> 16;
  BLOCK[62] = bits >>> 8;
  BLOCK[63] = bits;
  compress(state, BLOCK, 0);
  for (let i = 0; i < 8; i++) {
    const w = state[i]!;
    const j = outOffset + i * 4;
    out[j] = w >>> 24;
    out[j + 1] = w >>> 16;
    out[j + 2] = w >>> 8;
    out[j + 3] = w;
  }
}

/** Hashes the HMAC key pads of `key` into `inner` and `outer`. */
function keyPads(key: Uint8Array, inner: Int32Array, outer: Int32Array): void {
  if (key.length > 64) {
    finish(IV, 0, [key], DIGEST, 0);
    key = DIGEST;
  }
  for (let i = 0; i < 64; i++) PAD[i] = (i < key.length ? key[i]! : 0) ^ 0x36;
  inner.set(IV);
  compress(inner, PAD, 0);
  for (let i = 0; i < 64; i++) PAD[i] = PAD[i]! ^ 0x36 ^ 0x5c;
  outer.set(IV);
  compress(outer, PAD, 0);
}

function macWith(
  inner: Int32Array,
  outer: Int32Array,
  parts: readonly Uint8Array[],
  out: Uint8Array,
  offset: number,
): Uint8Array {
  finish(inner, 64, parts, DIGEST, 0);
  finish(outer, 64, [DIGEST], out, offset);
  return out;
}

/** HMAC-SHA256 under one key, with the key pads hashed once (for keys used many times). */
export class HmacSha256Key {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);

  constructor(key: Uint8Array) {
    keyPads(key, this.#inner, this.#outer);
  }

  /** HMAC of the concatenation of `parts`, written to `out` at `offset` (default: a new 32-byte array). */
  mac(parts: readonly Uint8Array[], out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
    return macWith(this.#inner, this.#outer, parts, out, offset);
  }
}

/** HMAC-SHA256 of `parts` under `key`, written to `out` at `offset` (default: a new 32-byte array). */
export function hmacSha256Into(
  key: Uint8Array,
  parts: readonly Uint8Array[],
  out: Uint8Array = new Uint8Array(32),
  offset = 0,
): Uint8Array {
  keyPads(key, INNER, OUTER);
  return macWith(INNER, OUTER, parts, out, offset);
}

/**
 * Both chain-KDF outputs from one key setup: HMAC(ck, a) into out[0..32], HMAC(ck, b) into out[32..64].
 */
export function hmacSha256Pair(key: Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  keyPads(key, INNER, OUTER);
  macWith(INNER, OUTER, [a], out, 0);
  macWith(INNER, OUTER, [b], out, 32);
  return out;
}

const COUNTER = new Uint8Array(1);
const PRK = new Uint8Array(32);

/** HKDF-SHA256 (RFC 5869) with a keyed salt (constant salts are keyed once); `length` <= 255 * 32. */
export function hkdfSha256KeyedSalt(
  salt: HmacSha256Key,
  ikm: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  salt.mac([ikm], PRK, 0);
  keyPads(PRK, INNER, OUTER);
  const out = new Uint8Array(Math.ceil(length / 32) * 32);
  for (let i = 0; i * 32 < length; i++) {
    COUNTER[0] = i + 1;
    const previous = out.subarray(i === 0 ? 0 : (i - 1) * 32, i * 32);
    macWith(INNER, OUTER, [previous, info, COUNTER], out, i * 32);
  }
  PRK.fill(0);
  return length === out.length ? out : out.subarray(0, length);
}
