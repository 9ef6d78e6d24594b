import { RLP } from '@ethereumjs/rlp';
import { bytesToHex, concatBytes, equalBytes, hexToBytes, StatusTsError } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RLP_DEFAULT_MAX_DEPTH,
  RLP_DEFAULT_MAX_ITEMS,
  RlpError,
  type RlpItem,
  rlpDecode,
  rlpDecodeFirst,
  rlpDecodeHeader,
  rlpEncode,
  rlpListHeader,
  rlpRaw,
  rlpToBigInt,
  rlpToBool,
  rlpToBytes,
  rlpToList,
  rlpToUint,
  rlpToUtf8,
} from '../src/index.js';

const h = hexToBytes;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusTsError)) throw err;
    return err.code;
  }
  throw new Error('expected a StatusTsError');
}

/** Nested RLP items: byte strings (short and long) and lists, up to a few levels deep. */
const itemArb: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 4 }),
    fc.uint8Array({ minLength: 50, maxLength: 70 }),
    fc.array(tie('item'), { maxLength: 6 }),
  ),
})).item;

describe('rlpEncode', () => {
  it('maps JavaScript types as documented', () => {
    expect(bytesToHex(rlpEncode(0))).toBe('80');
    expect(bytesToHex(rlpEncode(0n))).toBe('80');
    expect(bytesToHex(rlpEncode(127))).toBe('7f');
    expect(bytesToHex(rlpEncode(128))).toBe('8180');
    expect(bytesToHex(rlpEncode(Number.MAX_SAFE_INTEGER))).toBe('871fffffffffffff');
    expect(bytesToHex(rlpEncode(2n ** 64n - 1n))).toBe('88ffffffffffffffff');
    expect(bytesToHex(rlpEncode(false))).toBe('80');
    expect(bytesToHex(rlpEncode(true))).toBe('01');
    expect(bytesToHex(rlpEncode('0x01'))).toBe('8430783031'); // strings are text, never hex
    expect(bytesToHex(rlpEncode('é'))).toBe('82c3a9');
    expect(bytesToHex(rlpEncode([]))).toBe('c0');
    expect(bytesToHex(rlpEncode([new Uint8Array(), [1, 2]]))).toBe('c480c20102');
  });

  it('embeds pre-encoded items verbatim', () => {
    const inner = rlpEncode(['dog', [1]]);
    expect(rlpEncode([rlpRaw(inner), 'cat'])).toEqual(rlpEncode([['dog', [1]], 'cat']));
  });

  it('writes long lengths (1, 2 and 3 length bytes)', () => {
    for (const size of [55, 56, 255, 256, 65_535, 65_536]) {
      const payload = new Uint8Array(size).fill(0xaa);
      expect(equalBytes(rlpEncode(payload), RLP.encode(payload))).toBe(true);
      expect(equalBytes(rlpEncode([payload]), RLP.encode([payload]))).toBe(true);
    }
    expect(bytesToHex(rlpListHeader(0))).toBe('c0');
    expect(bytesToHex(rlpListHeader(56))).toBe('f838');
    expect(bytesToHex(rlpListHeader(1024))).toBe('f90400');
  });

  it('rejects values it cannot represent', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, -1n]) {
      expect(codeOf(() => rlpEncode(bad))).toBe('ERR_RLP_INVALID_INPUT');
    }
    expect(codeOf(() => rlpEncode({} as never))).toBe('ERR_RLP_INVALID_INPUT');
    expect(codeOf(() => rlpListHeader(-1))).toBe('ERR_RLP_INVALID_INPUT');
  });

  it('stops at the nesting limit, including cyclic arrays', () => {
    let deep: unknown[] = [];
    for (let i = 1; i < RLP_DEFAULT_MAX_DEPTH; i++) deep = [deep];
    expect(rlpDecode(rlpEncode(deep as never))).toEqual(deep);
    expect(codeOf(() => rlpEncode([deep] as never))).toBe('ERR_RLP_TOO_DEEP');
    const deeper = rlpEncode([deep] as never, { maxDepth: RLP_DEFAULT_MAX_DEPTH + 1 });
    expect(rlpDecode(deeper, { maxDepth: RLP_DEFAULT_MAX_DEPTH + 1 })).toEqual([deep]);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(codeOf(() => rlpEncode(cyclic as never))).toBe('ERR_RLP_TOO_DEEP');
  });
});

describe('rlpDecode strictness', () => {
  const cases: Array<[string, string]> = [
    ['', 'ERR_RLP_TRUNCATED'],
    ['8100', 'ERR_RLP_NON_CANONICAL'], // single byte wrapped
    ['817f', 'ERR_RLP_NON_CANONICAL'],
    ['b800', 'ERR_RLP_NON_CANONICAL'], // leading zero in length
    [`b837${'00'.repeat(55)}`, 'ERR_RLP_NON_CANONICAL'], // long form for 55 bytes
    [`f837${'00'.repeat(55)}`, 'ERR_RLP_NON_CANONICAL'],
    ['83aabb', 'ERR_RLP_TRUNCATED'],
    ['c2c3', 'ERR_RLP_TRUNCATED'],
    ['c3c38080', 'ERR_RLP_TRUNCATED'], // inner list runs past its parent
    ['b9', 'ERR_RLP_TRUNCATED'],
    ['8080', 'ERR_RLP_TRAILING'],
    ['c0c0', 'ERR_RLP_TRAILING'],
  ];
  it.each(cases)('%s -> %s', (hex, code) => {
    expect(codeOf(() => rlpDecode(h(hex)))).toBe(code);
  });

  it('accepts a single byte below 0x80 and 0x81 0x80', () => {
    expect(rlpDecode(h('00'))).toEqual(h('00'));
    expect(rlpDecode(h('8180'))).toEqual(h('80'));
    expect(rlpDecode(h(`b838${'11'.repeat(56)}`))).toEqual(h('11'.repeat(56)));
  });

  it('returns views into the input, not copies', () => {
    const input = h('c483aabbcc');
    const [inner] = rlpDecode(input) as Uint8Array[];
    expect(inner!.buffer).toBe(input.buffer);
    expect(inner!.byteOffset).toBe(2);
  });

  it('allows trailing bytes only when asked; rlpDecodeFirst reports the rest', () => {
    const bytes = h('c20102' + '0000');
    expect(rlpDecode(bytes, { allowTrailing: true })).toEqual([h('01'), h('02')]);
    const first = rlpDecodeFirst(bytes);
    expect(first.item).toEqual([h('01'), h('02')]);
    expect(first.consumed).toBe(3);
    expect(first.rest).toEqual(h('0000'));
    const stream = concatBytes(rlpEncode('a'), rlpEncode(['b']), rlpEncode(1000));
    const items: RlpItem[] = [];
    for (let rest = stream; rest.length > 0; ) {
      const next = rlpDecodeFirst(rest);
      items.push(next.item);
      rest = next.rest;
    }
    expect(items).toEqual([h('61'), [h('62')], h('03e8')]);
  });

  it('reads headers without decoding payloads', () => {
    expect(rlpDecodeHeader(h(`f838${'00'.repeat(56)}`))).toEqual({
      isList: true,
      payloadOffset: 2,
      payloadLength: 56,
      end: 58,
    });
    expect(rlpDecodeHeader(h('c17f'), 1)).toEqual({
      isList: false,
      payloadOffset: 1,
      payloadLength: 1,
      end: 2,
    });
    expect(codeOf(() => rlpDecodeHeader(h('c0'), 1))).toBe('ERR_RLP_TRUNCATED');
  });
});

describe('rlpDecode limits', () => {
  /** `depth` lists, each the only item of the next: built inside-out in linear time. */
  function nested(depth: number): Uint8Array {
    const headers: Uint8Array[] = [];
    let length = 0;
    for (let i = 0; i < depth; i++) {
      const header = rlpListHeader(length);
      headers.push(header);
      length += header.length;
    }
    const out = new Uint8Array(length);
    let pos = 0;
    for (let i = depth - 1; i >= 0; i--) {
      out.set(headers[i]!, pos);
      pos += headers[i]!.length;
    }
    return out;
  }

  it('accepts lists nested up to maxDepth and rejects one more level', () => {
    expect(() => rlpDecode(nested(RLP_DEFAULT_MAX_DEPTH))).not.toThrow();
    expect(codeOf(() => rlpDecode(nested(RLP_DEFAULT_MAX_DEPTH + 1)))).toBe('ERR_RLP_TOO_DEEP');
    expect(codeOf(() => rlpDecode(nested(3), { maxDepth: 2 }))).toBe('ERR_RLP_TOO_DEEP');
    expect(() => rlpDecode(nested(200), { maxDepth: 200 })).not.toThrow();
    expect(codeOf(() => rlpDecode(h('c0'), { maxDepth: 0 }))).toBe('ERR_RLP_TOO_DEEP');
    expect(rlpDecode(h('80'), { maxDepth: 0 })).toEqual(new Uint8Array());
  });

  it('never overflows the stack on hostile nesting', () => {
    // 100k well-formed nested lists: rejected by the default limit, and decodable without any limit because
    // the decoder keeps its own stack instead of recursing.
    const hostile = nested(100_000);
    expect(codeOf(() => rlpDecode(hostile))).toBe('ERR_RLP_TOO_DEEP');
    expect(() => rlpDecode(hostile, { maxDepth: Number.POSITIVE_INFINITY })).not.toThrow();
    // 100k list headers that each claim more than their parent holds.
    expect(codeOf(() => rlpDecode(new Uint8Array(100_000).fill(0xc1)))).toBe('ERR_RLP_TRUNCATED');
  });

  it('caps the number of items', () => {
    const list = rlpEncode(new Array(1000).fill(1));
    expect((rlpDecode(list) as RlpItem[]).length).toBe(1000);
    expect(() => rlpDecode(list, { maxItems: 1001 })).not.toThrow();
    expect(codeOf(() => rlpDecode(list, { maxItems: 1000 }))).toBe('ERR_RLP_TOO_MANY_ITEMS');
    expect(codeOf(() => rlpDecode(h('80'), { maxItems: 0 }))).toBe('ERR_RLP_TOO_MANY_ITEMS');
    const many = concatBytes(
      rlpListHeader(RLP_DEFAULT_MAX_ITEMS),
      new Uint8Array(RLP_DEFAULT_MAX_ITEMS).fill(0x80),
    );
    expect(codeOf(() => rlpDecode(many))).toBe('ERR_RLP_TOO_MANY_ITEMS');
  });
});

describe('typed accessors', () => {
  it('rlpToBytes and rlpToList check shape and length', () => {
    expect(rlpToBytes(h('0102'), 2)).toEqual(h('0102'));
    expect(codeOf(() => rlpToBytes([], undefined, 'nonce'))).toBe('ERR_RLP_EXPECTED_BYTES');
    expect(codeOf(() => rlpToBytes(h('01'), 32))).toBe('ERR_RLP_WRONG_LENGTH');
    expect(rlpToList([h('01')], 1)).toEqual([h('01')]);
    expect(codeOf(() => rlpToList(h('01')))).toBe('ERR_RLP_EXPECTED_LIST');
    expect(codeOf(() => rlpToList([], 1))).toBe('ERR_RLP_WRONG_LENGTH');
  });

  it('integers must be canonical (ENR-01) and fit', () => {
    expect(rlpToUint(new Uint8Array())).toBe(0);
    expect(rlpToUint(h('0400'))).toBe(1024);
    expect(rlpToUint(h('1fffffffffffff'), 7)).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf(() => rlpToUint(h('00')))).toBe('ERR_RLP_NON_CANONICAL_INTEGER');
    expect(codeOf(() => rlpToUint(h('0001')))).toBe('ERR_RLP_NON_CANONICAL_INTEGER');
    expect(codeOf(() => rlpToUint(h('010000'), 2))).toBe('ERR_RLP_INTEGER_OVERFLOW');
    expect(codeOf(() => rlpToUint(h('20000000000000'), 7))).toBe('ERR_RLP_INTEGER_OVERFLOW');
    expect(codeOf(() => rlpToUint([]))).toBe('ERR_RLP_EXPECTED_BYTES');
    expect(rlpToBigInt(h('ffffffffffffffffff'))).toBe(2n ** 72n - 1n);
    expect(codeOf(() => rlpToBigInt(h('00ff')))).toBe('ERR_RLP_NON_CANONICAL_INTEGER');
    expect(codeOf(() => rlpToBigInt(h('010000000000000000'), 8))).toBe('ERR_RLP_INTEGER_OVERFLOW');
  });

  it('booleans and UTF-8', () => {
    expect(rlpToBool(new Uint8Array())).toBe(false);
    expect(rlpToBool(h('01'))).toBe(true);
    expect(codeOf(() => rlpToBool(h('02')))).toBe('ERR_RLP_INTEGER_OVERFLOW');
    expect(codeOf(() => rlpToBool(h('00')))).toBe('ERR_RLP_NON_CANONICAL_INTEGER');
    expect(rlpToUtf8(h('c3a9'))).toBe('é');
    expect(codeOf(() => rlpToUtf8(h('c3')))).toBe('ERR_RLP_INVALID_UTF8');
  });
});

describe('properties', () => {
  it('decode(encode(x)) == x and the bytes match @ethereumjs/rlp', () => {
    fc.assert(
      fc.property(itemArb, (item) => {
        const encoded = rlpEncode(item);
        expect(encoded).toEqual(RLP.encode(item as never));
        expect(rlpDecode(encoded)).toEqual(item);
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers and bigints round trip through rlpToUint / rlpToBigInt', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 48 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 256n }), (n, b) => {
        expect(rlpToUint(rlpDecode(rlpEncode(n)))).toBe(n);
        expect(rlpToBigInt(rlpDecode(rlpEncode(b)))).toBe(b);
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes: only typed errors, and whatever decodes re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        let item: RlpItem;
        try {
          item = rlpDecode(bytes, { maxDepth: 8 });
        } catch (err) {
          expect(err).toBeInstanceOf(StatusTsError);
          expect((err as StatusTsError).code).toMatch(/^ERR_RLP_/);
          return;
        }
        expect(rlpEncode(item)).toEqual(bytes); // strict decoding is a bijection
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid encodings: only typed errors, and agreement with @ethereumjs/rlp on validity', () => {
    fc.assert(
      fc.property(itemArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (item, at, byte) => {
        const bytes = rlpEncode(item);
        if (bytes.length === 0) return;
        bytes[at % bytes.length] = byte;
        let ours: RlpItem | undefined;
        try {
          ours = rlpDecode(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RlpError);
        }
        let theirs: unknown;
        try {
          theirs = RLP.decode(bytes);
        } catch {
          theirs = undefined;
        }
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 1000 },
    );
  });
});
