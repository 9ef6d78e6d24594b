import { describe, expect, it } from 'vitest';
import { decodeTxtResponse, encodeTxtQuery, rcodeName } from '../src/dns-wire.js';
import { DnsErrorCode } from '../src/index.js';
import { thrown } from './helpers/fixtures.js';

const NAME = 'q.example';

/** A name in wire form: length-prefixed labels and the root byte. */
function wireName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...new TextEncoder().encode(label));
  out.push(0);
  return out;
}

const u16 = (n: number) => [n >> 8, n & 0xff];

interface Rr {
  owner?: number[];
  type?: number;
  klass?: number;
  rdata: number[];
}

const txt = (...strings: string[]) => strings.flatMap((s) => [s.length, ...new TextEncoder().encode(s)]);

function rr({ owner = wireName(NAME), type = 16, klass = 1, rdata }: Rr): number[] {
  return [...owner, ...u16(type), ...u16(klass), 0, 0, 0, 60, ...u16(rdata.length), ...rdata];
}

interface Message {
  flags?: number;
  qdCount?: number;
  question?: number[];
  answers?: number[][];
  authority?: number[][];
  additional?: number[][];
}

function message({
  flags = 0x8180,
  qdCount = 1,
  question = [...wireName(NAME), ...u16(16), ...u16(1)],
  answers = [],
  authority = [],
  additional = [],
}: Message): Uint8Array {
  return new Uint8Array([
    0,
    0,
    ...u16(flags),
    ...u16(qdCount),
    ...u16(answers.length),
    ...u16(authority.length),
    ...u16(additional.length),
    ...question,
    ...answers.flat(),
    ...authority.flat(),
    ...additional.flat(),
  ]);
}

const label = (n: number, ch = 'a') => ch.repeat(n);

describe('rcodeName', () => {
  it('names the RCODEs as c-ares does and numbers the others', () => {
    expect([1, 2, 3, 4, 5].map(rcodeName)).toEqual([
      'EFORMERR',
      'ESERVFAIL',
      'ENOTFOUND',
      'ENOTIMP',
      'EREFUSED',
    ]);
    expect(rcodeName(9)).toBe('RCODE_9');
  });
});

describe('encodeTxtQuery', () => {
  it('encodes ID 0, RD, one TXT/IN question, byte for byte', () => {
    expect([...encodeTxtQuery('ab.c')]).toEqual([
      0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0x61, 0x62, 1, 0x63, 0, 0, 16, 0, 1,
    ]);
  });

  it('drops one trailing dot', () => {
    expect(encodeTxtQuery('ab.c.')).toEqual(encodeTxtQuery('ab.c'));
  });

  it.each(['', '.', 'a..b', '.a', `${label(64)}.example`])('rejects the name %j with EBADNAME', (name) => {
    const err = thrown(() => encodeTxtQuery(name));
    expect(err.code).toBe(DnsErrorCode.ResolveFailed);
    expect(err.details).toEqual({ name, code: 'EBADNAME' });
  });

  it('accepts labels of 63 bytes and names of 255 bytes, not 256', () => {
    const at255 = [label(63), label(63), label(63), label(61)].join('.');
    const at256 = [label(63), label(63), label(63), label(62)].join('.');
    expect(encodeTxtQuery(at255).length).toBe(12 + 255 + 4);
    const err = thrown(() => encodeTxtQuery(at256));
    expect(err.details).toEqual({ name: at256, code: 'EBADNAME' });
  });
});

describe('decodeTxtResponse', () => {
  it('returns the TXT strings of the name asked', () => {
    const bytes = message({ answers: [rr({ rdata: txt('hello', 'world') })] });
    expect(decodeTxtResponse(bytes, NAME)).toEqual({ rcode: 0, records: [['hello', 'world']] });
  });

  it('compares names case-insensitively in ASCII only, asked with or without a final dot', () => {
    const upper = [...wireName('Q.EXAMPLE'), ...u16(16), ...u16(1)];
    const bytes = message({
      question: upper,
      answers: [rr({ owner: wireName('q.ExAmPlE'), rdata: txt('x') })],
    });
    expect(decodeTxtResponse(bytes, 'q.example.')).toEqual({ rcode: 0, records: [['x']] });
    const zed = [...wireName('AZ.example'), ...u16(16), ...u16(1)];
    expect(decodeTxtResponse(message({ question: zed }), 'az.example').rcode).toBe(0);
    // '@' (0x40) and '[' (0x5b) sit next to 'A' and 'Z': they must not be folded to '`' and '{'.
    for (const [wire, asked] of [
      ['x@.example', 'x`.example'],
      ['x[.example', 'x{.example'],
    ] as const) {
      const question = [...wireName(wire), ...u16(16), ...u16(1)];
      const err = thrown(() => decodeTxtResponse(message({ question }), asked));
      expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
      expect(err.details).toEqual({
        name: asked,
        reason: `answers another question (${wire} type 16 class 1)`,
      });
    }
  });

  it('rejects an answer to another question, type or class', () => {
    const cases: [number[], string][] = [
      [[...wireName('other.example'), ...u16(16), ...u16(1)], 'other.example type 16 class 1'],
      [[...wireName(NAME), ...u16(1), ...u16(1)], `${NAME} type 1 class 1`],
      [[...wireName(NAME), ...u16(16), ...u16(3)], `${NAME} type 16 class 3`],
    ];
    for (const [question, what] of cases) {
      const err = thrown(() => decodeTxtResponse(message({ question }), NAME));
      expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
      expect(err.details).toEqual({ name: NAME, reason: `answers another question (${what})` });
    }
  });

  it('rejects a query, a non-standard opcode and a question count other than 1', () => {
    const reasons: [Message, string][] = [
      [{ flags: 0x0100 }, 'not a response (QR bit clear)'],
      [{ flags: 0x8900 }, 'not a standard query response'],
      [{ qdCount: 2 }, '2 questions instead of 1'],
      [{ qdCount: 0 }, '0 questions instead of 1'],
    ];
    for (const [m, reason] of reasons) {
      const err = thrown(() => decodeTxtResponse(message(m), NAME));
      expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
      expect(err.details).toEqual({ name: NAME, reason });
    }
  });

  it('reports the TC bit as truncated', () => {
    const err = thrown(() => decodeTxtResponse(message({ flags: 0x8380 }), NAME));
    expect(err.code).toBe(DnsErrorCode.Truncated);
    expect(err.details).toEqual({ name: NAME, tc: true });
  });

  it('reports a message cut inside the question name as truncated', () => {
    const full = message({});
    for (const cut of [12, 14, 13 + 1]) {
      const err = thrown(() => decodeTxtResponse(full.subarray(0, cut), NAME));
      expect(err.code).toBe(DnsErrorCode.Truncated);
      expect(err.details).toEqual({ name: NAME, bytes: cut });
    }
    // A compression pointer whose second byte is missing.
    const pointer = message({ question: [0xc0] });
    expect(thrown(() => decodeTxtResponse(pointer, NAME)).details).toEqual({ name: NAME, bytes: 13 });
  });

  it('reports a label running past the end as truncated, before counting its size', () => {
    // Three full labels of 63 and a fourth of 63 with one byte missing: 257 bytes if it were complete.
    const name = [
      63,
      ...label(63)
        .split('')
        .map(() => 0x61),
    ];
    const question = [...name, ...name, ...name, ...name.slice(0, 63)];
    const bytes = message({ question });
    const err = thrown(() => decodeTxtResponse(bytes, NAME));
    expect(err.code).toBe(DnsErrorCode.Truncated);
    expect(err.details).toEqual({ name: NAME, bytes: bytes.length });
  });

  it('reports a compression pointer cut after its first byte as truncated, at the end of a record', () => {
    const bytes = message({ answers: [rr({ type: 5, rdata: [0xc0] })] });
    const err = thrown(() => decodeTxtResponse(bytes, NAME));
    expect(err.code).toBe(DnsErrorCode.Truncated);
    expect(err.details).toEqual({ name: NAME, bytes: bytes.length });
  });

  it('rejects an unknown label type', () => {
    const err = thrown(() => decodeTxtResponse(message({ question: [0x40, 0] }), NAME));
    expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
    expect(err.details).toEqual({ name: NAME, reason: 'unknown label type 0x40' });
  });

  it('reads record names of 255 bytes and rejects 256', () => {
    const long = (last: number) => wireName([label(63), label(63), label(63), label(last)].join('.'));
    expect(decodeTxtResponse(message({ answers: [rr({ owner: long(61), rdata: txt('x') })] }), NAME)).toEqual(
      {
        rcode: 0,
        records: [],
      },
    );
    const err = thrown(() =>
      decodeTxtResponse(message({ answers: [rr({ owner: long(62), rdata: txt('x') })] }), NAME),
    );
    expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
    expect(err.details).toEqual({ name: NAME, reason: 'name longer than 255 bytes' });
  });

  it('rejects a TXT record without a string and a string running past its record', () => {
    const empty = thrown(() => decodeTxtResponse(message({ answers: [rr({ rdata: [] })] }), NAME));
    expect(empty.details).toEqual({ name: NAME, reason: 'TXT record without a character-string' });
    const past = thrown(() => decodeTxtResponse(message({ answers: [rr({ rdata: [3, 0x61] })] }), NAME));
    expect(past.details).toEqual({ name: NAME, reason: 'character-string runs past its record' });
  });

  it('takes TXT records from the answer section only, of class IN, owned by the name asked', () => {
    const answers = [
      rr({ rdata: txt('yes') }),
      rr({ owner: wireName('other.example'), rdata: txt('other owner') }),
      rr({ klass: 3, rdata: txt('chaos class') }),
    ];
    const authority = [rr({ rdata: txt('authority') })];
    const additional = [rr({ rdata: txt('additional') })];
    expect(decodeTxtResponse(message({ answers, authority, additional }), NAME).records).toEqual([['yes']]);
  });

  it('parses every record of all three sections', () => {
    // The last additional record is cut: a parser that stops early would not notice.
    const bytes = message({
      answers: [rr({ rdata: txt('yes') })],
      authority: [rr({ rdata: txt('ns') })],
      additional: [rr({ rdata: txt('ar') }).slice(0, -1)],
    });
    expect(thrown(() => decodeTxtResponse(bytes, NAME)).code).toBe(DnsErrorCode.Truncated);
  });

  it('follows a CNAME in the answer to the alias, without querying it', () => {
    const answers = [
      rr({ type: 5, rdata: wireName('alias.example') }),
      rr({ owner: wireName('alias.example'), rdata: txt('via alias') }),
    ];
    expect(decodeTxtResponse(message({ answers }), NAME).records).toEqual([['via alias']]);
  });

  it('ignores a CNAME of another owner and other record types', () => {
    const answers = [
      rr({ owner: wireName('other.example'), type: 5, rdata: [...wireName('alias.example'), 9] }),
      rr({ type: 1, rdata: [1, 2, 3, 4] }),
      rr({ owner: wireName('alias.example'), rdata: txt('not an alias') }),
    ];
    expect(decodeTxtResponse(message({ answers }), NAME).records).toEqual([]);
  });

  it('rejects a CNAME whose target does not fill its record', () => {
    const answers = [rr({ type: 5, rdata: [...wireName('alias.example'), 9] })];
    const err = thrown(() => decodeTxtResponse(message({ answers }), NAME));
    expect(err.code).toBe(DnsErrorCode.MalformedAnswer);
    expect(err.details).toEqual({ name: NAME, reason: 'CNAME target does not fill its record' });
  });

  it('returns no records with an error rcode, and does not read its answer records', () => {
    const answers = [
      rr({ rdata: txt('ignored') }),
      rr({ type: 5, rdata: [...wireName('alias.example'), 9] }),
    ];
    expect(decodeTxtResponse(message({ flags: 0x8183, answers }), NAME)).toEqual({ rcode: 3, records: [] });
  });
});
