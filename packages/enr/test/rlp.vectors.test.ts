import { readFileSync } from 'node:fs';
import { bigIntToBytes, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { RlpError, type RlpInput, type RlpItem, rlpDecode, rlpEncode } from '../src/index.js';

type JsonInput = string | number | JsonInput[];
interface Case {
  in: JsonInput;
  out: string;
}

function load(name: string): Record<string, Case> {
  return JSON.parse(readFileSync(new URL(`vectors/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    Case
  >;
}

/** ethereum/tests convention: "#123" is a big integer, other strings are raw strings. */
function toInput(value: JsonInput): RlpInput {
  if (Array.isArray(value)) return value.map(toInput);
  if (typeof value === 'string' && value.startsWith('#')) return BigInt(value.slice(1));
  return value;
}

/** What decoding the expected encoding must give back. */
function toItem(value: JsonInput): RlpItem {
  if (Array.isArray(value)) return value.map(toItem);
  // Integers as minimal big-endian bytes (core's independent helper), strings as UTF-8.
  if (typeof value === 'number') return bigIntToBytes(BigInt(value));
  if (value.startsWith('#')) return bigIntToBytes(BigInt(value.slice(1)));
  return utf8ToBytes(value);
}

describe('ethereum/tests RLPTests/rlptest.json', () => {
  const cases = Object.entries(load('rlptest.json'));
  it('has the upstream cases', () => {
    expect(cases.length).toBe(28);
  });
  it.each(cases)('%s encodes and decodes', (_name, c) => {
    const expected = hexToBytes(c.out);
    expect(rlpEncode(toInput(c.in))).toEqual(expected);
    expect(rlpDecode(expected)).toEqual(toItem(c.in));
  });
});

describe('ethereum/tests RLPTests/invalidRLPTest.json', () => {
  const cases = Object.entries(load('invalidRLPTest.json'));
  it('has the upstream cases', () => {
    expect(cases.length).toBe(26);
  });
  it.each(cases)('%s is rejected with a typed error', (_name, c) => {
    expect(c.in).toBe('INVALID');
    let caught: unknown;
    try {
      rlpDecode(hexToBytes(c.out));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RlpError);
    expect((caught as RlpError).code).toMatch(/^ERR_RLP_(TRUNCATED|NON_CANONICAL|TRAILING)$/);
  });
});

describe('ethereum/tests RLPTests/RandomRLPTests/example.json', () => {
  it.each(Object.entries(load('randomRLPTest.json')))('%s decodes and re-encodes identically', (_n, c) => {
    expect(c.in).toBe('VALID');
    const bytes = hexToBytes(c.out);
    expect(rlpEncode(rlpDecode(bytes))).toEqual(bytes);
  });
});
