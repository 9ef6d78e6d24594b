/**
 * Keccak-f[1600] as a tiny WebAssembly module (about 1.7 KB) assembled here at first use, so no binary
 * blob ships and nothing is fetched. WASM has native 64-bit lanes and rotations, which makes the
 * permutation several times faster than 32-bit JavaScript; the sponge itself (state, buffering, padding)
 * stays in JavaScript (keccak.ts), so every hasher owns its 200-byte state and the module is shared.
 *
 * Memory layout (one 64 KiB page): state at [0, 200), round constants at [256, 448), input blocks from
 * 1024. Exports: `permute()` runs the 24 rounds on the state; `absorb(n)` XORs n rate-sized blocks
 * from the input area into the state, permuting after each.
 */

/** Bytes absorbed per permutation for Keccak-256 (1600 - 2 * 256 bits). */
export const KECCAK256_RATE = 136;
const STATE_BYTES = 200;
const ROUND_CONSTANTS_AT = 256;
const INPUT_AT = 1024;
const PAGE = 65536;
/** Whole blocks that fit in the input area at once. */
const MAX_BLOCKS = Math.floor((PAGE - INPUT_AT) / KECCAK256_RATE);

// Rotation offsets r[x][y] of the rho step (Keccak reference, lane (x, y) = x + 5y).
const RHO = [
  [0, 36, 3, 41, 18],
  [1, 44, 10, 45, 2],
  [62, 6, 43, 15, 61],
  [28, 55, 25, 21, 56],
  [27, 20, 39, 8, 14],
] as const;

/** The 24 iota constants, from the degree-8 LFSR of the Keccak specification. */
export function keccakRoundConstants(): bigint[] {
  const out: bigint[] = [];
  let lfsr = 1;
  for (let round = 0; round < 24; round++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (lfsr & 1) c |= 1n << BigInt((1 << j) - 1);
      lfsr = ((lfsr << 1) ^ ((lfsr >> 7) * 0x71)) & 0xff;
    }
    out.push(c);
  }
  return out;
}

// ------------------------------------------------------------------ a minimal WASM assembler

const uleb = (value: number): number[] => {
  const out: number[] = [];
  let n = value;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

const sleb = (value: number): number[] => {
  const out: number[] = [];
  let n = BigInt(value);
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));
const functionCode = (body: number[]): number[] => [...uleb(body.length), ...body];

const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i64: (v: number) => [0x42, ...sleb(v)],
  load64: (offset: number) => [0x29, 3, ...uleb(offset)],
  store64: (offset: number) => [0x37, 3, ...uleb(offset)],
  i64Xor: 0x85,
  i64And: 0x83,
  i64Rotl: 0x89,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  i32LtU: 0x49,
  i32Eqz: 0x45,
  end: 0x0b,
};

const I32 = 0x7f;
const I64 = 0x7e;
const lane = (x: number, y: number) => x + 5 * y;

/** Body of `permute()`: the state in 25 i64 locals, one unrolled round inside a 24-iteration loop. */
function permuteBody(): number[] {
  const a = (i: number) => i; // state lanes
  const b = (i: number) => 25 + i; // lanes after rho + pi
  const c = (x: number) => 50 + x; // theta column parities
  const d = (x: number) => 55 + x; // theta offsets
  const round = 60;
  const code: number[] = [];
  for (let i = 0; i < 25; i++) code.push(...op.i32(0), ...op.load64(8 * i), ...op.localSet(a(i)));
  code.push(0x03, 0x40); // loop
  for (let x = 0; x < 5; x++) {
    code.push(...op.localGet(a(lane(x, 0))));
    for (let y = 1; y < 5; y++) code.push(...op.localGet(a(lane(x, y))), op.i64Xor);
    code.push(...op.localSet(c(x)));
  }
  for (let x = 0; x < 5; x++) {
    code.push(...op.localGet(c((x + 4) % 5)), ...op.localGet(c((x + 1) % 5)), ...op.i64(1), op.i64Rotl);
    code.push(op.i64Xor, ...op.localSet(d(x)));
  }
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      code.push(...op.localGet(a(lane(x, y))), ...op.localGet(d(x)), op.i64Xor);
      if (RHO[x]![y] !== 0) code.push(...op.i64(RHO[x]![y]!), op.i64Rotl);
      code.push(...op.localSet(b(lane(y, (2 * x + 3 * y) % 5))));
    }
  }
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      // chi: a = b ^ (~b[x+1] & b[x+2])
      code.push(...op.localGet(b(lane((x + 1) % 5, y))), ...op.i64(-1), op.i64Xor);
      code.push(...op.localGet(b(lane((x + 2) % 5, y))), op.i64And);
      code.push(...op.localGet(b(lane(x, y))), op.i64Xor, ...op.localSet(a(lane(x, y))));
    }
  }
  // iota: a[0] ^= RC[round]
  code.push(...op.localGet(a(0)), ...op.localGet(round), ...op.i32(3), op.i32Shl);
  code.push(...op.load64(ROUND_CONSTANTS_AT), op.i64Xor, ...op.localSet(a(0)));
  code.push(...op.localGet(round), ...op.i32(1), op.i32Add, ...op.localTee(round));
  code.push(...op.i32(24), op.i32LtU, 0x0d, 0x00, op.end); // br_if loop; end loop
  for (let i = 0; i < 25; i++) code.push(...op.i32(0), ...op.localGet(a(i)), ...op.store64(8 * i));
  code.push(op.end);
  return [
    ...vector([
      [...uleb(60), I64],
      [1, I32],
    ]),
    ...code,
  ];
}

/** Body of `absorb(n)`: XOR n blocks from INPUT_AT into the rate part of the state, permute after each. */
function absorbBody(): number[] {
  const blocks = 0; // parameter
  const ptr = 1;
  const code: number[] = [...op.i32(INPUT_AT), ...op.localSet(ptr)];
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(...op.localGet(blocks), op.i32Eqz, 0x0d, 0x01); // br_if out
  for (let w = 0; w < KECCAK256_RATE / 8; w++) {
    code.push(...op.i32(0), ...op.i32(0), ...op.load64(8 * w), ...op.localGet(ptr), ...op.load64(8 * w));
    code.push(op.i64Xor, ...op.store64(8 * w));
  }
  code.push(0x10, 0x00); // call permute
  code.push(...op.localGet(ptr), ...op.i32(KECCAK256_RATE), op.i32Add, ...op.localSet(ptr));
  code.push(...op.localGet(blocks), ...op.i32(1), op.i32Sub, ...op.localSet(blocks));
  code.push(0x0c, 0x00, op.end, op.end, op.end); // br loop; end loop; end block; end function
  return [...vector([[1, I32]]), ...code];
}

/** The complete module, as bytes. */
export function assembleKeccakModule(): Uint8Array<ArrayBuffer> {
  const constants: number[] = [];
  for (const c of keccakRoundConstants()) {
    for (let k = 0n; k < 8n; k++) constants.push(Number((c >> (8n * k)) & 0xffn));
  }
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(
      1,
      vector([
        [0x60, 0x00, 0x00],
        [0x60, 0x01, I32, 0x00],
      ]),
    ), // types: () -> (), (i32) -> ()
    ...section(3, vector([[0x00], [0x01]])), // functions: permute, absorb
    ...section(5, vector([[0x00, 0x01]])), // one memory of one page
    ...section(
      7,
      vector([
        [...name('memory'), 0x02, 0x00],
        [...name('permute'), 0x00, 0x00],
        [...name('absorb'), 0x00, 0x01],
      ]),
    ),
    ...section(10, vector([functionCode(permuteBody()), functionCode(absorbBody())])),
    ...section(
      11,
      vector([[0x00, ...op.i32(ROUND_CONSTANTS_AT), op.end, ...vector(constants.map((x) => [x]))]]),
    ),
  ];
  return Uint8Array.from(bytes);
}

// ------------------------------------------------------------------ the engine used by the hashers

interface KeccakExports {
  memory: WebAssembly.Memory;
  permute(): void;
  absorb(blocks: number): void;
}

/**
 * One instance serves every hasher. Each call copies the caller's 200-byte state in and (when it
 * changes) out again, so hashers never share state; JS is single-threaded and every call is synchronous.
 */
export class KeccakWasm {
  readonly #exports: KeccakExports;
  readonly #memory: Uint8Array;
  readonly #state: Uint8Array;
  /** The first 32 bytes of the state: the Keccak-256 digest after the final permutation. */
  readonly #digest: Uint8Array;

  constructor(exports: KeccakExports) {
    this.#exports = exports;
    this.#memory = new Uint8Array(exports.memory.buffer);
    this.#state = this.#memory.subarray(0, STATE_BYTES);
    this.#digest = this.#memory.subarray(0, 32);
  }

  /** Permutes `state` (200 bytes) in place. */
  permute(state: Uint8Array): void {
    this.#state.set(state);
    this.#exports.permute();
    state.set(this.#state);
  }

  /**
   * Absorbs `data` into `state` (in place), which has `pos` bytes pending in its current block; returns
   * the new pending count. See `#absorb`.
   */
  absorb(state: Uint8Array, pos: number, data: Uint8Array): number {
    this.#state.set(state);
    const next = this.#absorb(pos, data);
    state.set(this.#state);
    return next;
  }

  /**
   * Absorbs `data` into the module's state, which has `pos` bytes pending. Whole blocks go through the
   * module, the first one shifted by `pos` behind zero bytes (XOR with zero keeps the pending bytes), so
   * JavaScript only XORs the bytes that stay pending (a byte loop costs about 3 ns a byte, a block
   * through the module a fraction of that).
   */
  #absorb(pos: number, data: Uint8Array): number {
    const s = this.#state;
    const n = data.length;
    let blocksLeft = Math.floor((pos + n) / KECCAK256_RATE);
    if (blocksLeft === 0) {
      for (let i = 0; i < n; i++) s[pos + i]! ^= data[i]!;
      return pos + n;
    }
    const memory = this.#memory;
    let at = 0;
    let lead = pos;
    while (blocksLeft > 0) {
      const blocks = Math.min(blocksLeft, MAX_BLOCKS);
      const take = blocks * KECCAK256_RATE - lead;
      if (lead > 0) memory.fill(0, INPUT_AT, INPUT_AT + lead);
      memory.set(data.subarray(at, at + take), INPUT_AT + lead);
      this.#exports.absorb(blocks);
      at += take;
      lead = 0;
      blocksLeft -= blocks;
    }
    const rest = n - at;
    for (let i = 0; i < rest; i++) s[i]! ^= data[at + i]!;
    return rest;
  }

  /**
   * The Keccak-256 digest of `state` with `pos` bytes pending in the current block: pads a copy
   * (original Keccak padding 0x01 .. 0x80) and permutes it; `state` is left untouched.
   */
  squeeze256(state: Uint8Array, pos: number): Uint8Array {
    this.#padAndPermute(state, pos);
    return this.#memory.slice(0, 32);
  }

  /** `squeeze256` writing the digest to `out[offset .. offset + 32)`: no allocation (bounds checked by the caller). */
  squeeze256Into(state: Uint8Array, pos: number, out: Uint8Array, offset: number): void {
    this.#padAndPermute(state, pos);
    out.set(this.#digest, offset);
  }

  /**
   * The Keccak-256 digest of `paddedState` (a state whose padding is already in place for a message ending
   * `suffix.length` bytes after `pos`) with `suffix` XORed in at `pos`, written to `out[offset ..)`: one
   * copy in, one permutation, 32 bytes out. `paddedState` is left untouched.
   */
  squeezeSuffix256Into(
    paddedState: Uint8Array,
    pos: number,
    suffix: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): void {
    const s = this.#state;
    s.set(paddedState);
    for (let i = 0; i < suffix.length; i++) s[pos + i]! ^= suffix[i]!;
    this.#exports.permute();
    out.set(this.#digest, offset);
  }

  /**
   * One-shot Keccak-256 of the concatenation of `parts`, absorbed straight into the module's own state: no
   * JavaScript state to allocate or copy in and out, only the 32-byte result is allocated.
   */
  hash256(parts: readonly Uint8Array[]): Uint8Array {
    const s = this.#state;
    s.fill(0);
    let pos = 0;
    for (const data of parts) pos = this.#absorb(pos, data);
    s[pos]! ^= 0x01;
    s[KECCAK256_RATE - 1]! ^= 0x80;
    this.#exports.permute();
    return this.#memory.slice(0, 32);
  }

  #padAndPermute(state: Uint8Array, pos: number): void {
    const s = this.#state;
    s.set(state);
    s[pos]! ^= 0x01;
    s[KECCAK256_RATE - 1]! ^= 0x80;
    this.#exports.permute();
  }
}

/**
 * Compiles and instantiates the module synchronously (it is far below the 4 KB that browsers allow
 * on the main thread). Undefined where WebAssembly is missing or blocked (some React Native engines,
 * strict CSP): callers then use noble.
 */
export function instantiateKeccakWasm(): KeccakWasm | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (wasm === undefined) return undefined;
    const instance = new wasm.Instance(new wasm.Module(assembleKeccakModule()));
    return new KeccakWasm(instance.exports as unknown as KeccakExports);
  } catch {
    return undefined;
  }
}
