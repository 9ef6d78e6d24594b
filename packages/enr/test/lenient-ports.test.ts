import { bytesToHex, hexToBytes } from '@status-ts/core';
import { getPublicKey, keccak256, signCompact, verify } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { Enr, EnrErrorCode, enodeFromEnr, type RlpInput, rlpDecode, rlpEncode } from '../src/index.js';
import { errorOf } from './error-of.js';

// @chainsafe/enr writes every port as 2 bytes, so its records carry `00ff` for port 255.
const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const PORT_KEYS = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/** Builds a v4 record by hand (sorted keys), signing keccak256 of `[seq, k1, v1, ...]` as the scheme does. */
function signedRecord(entries: Record<string, Uint8Array>, seq: RlpInput = 1): Uint8Array {
  const all: Record<string, Uint8Array> = {
    ...entries,
    id: new TextEncoder().encode('v4'),
    ip: Uint8Array.of(127, 0, 0, 1),
    secp256k1: getPublicKey(key, 'compressed'),
  };
  const pairs: RlpInput[] = [];
  for (const name of Object.keys(all).sort()) pairs.push(name, all[name]!);
  const signature = signCompact(keccak256(rlpEncode([seq, ...pairs])), key);
  return rlpEncode([signature, seq, ...pairs]);
}

describe('ports written with leading zero bytes (as @chainsafe/enr writes them)', () => {
  for (const name of PORT_KEYS) {
    it(`${name} = 00ff decodes as 255 and keeps its original bytes`, () => {
      const bytes = signedRecord({ [name]: hexToBytes('00ff') });
      const enr = Enr.decode(bytes);
      expect(enr[name]).toBe(255);
      expect(enr.getBytes(name)).toEqual(hexToBytes('00ff'));
      // Byte-exact: re-encoding does not normalise the port, so the signature still covers what was signed.
      expect(bytesToHex(enr.encode())).toBe(bytesToHex(bytes));
      const text = enr.encodeText();
      const again = Enr.decodeText(text);
      expect(again.encodeText()).toBe(text);
      expect(again[name]).toBe(255);
      expect(enr.verify()).toBe(true);
      // The signature is over the original content bytes, `00ff` included.
      const [signature, ...content] = rlpDecode(bytes) as Uint8Array[];
      expect(verify(keccak256(rlpEncode(content)), signature!, getPublicKey(key, 'compressed'))).toBe(true);
      expect(bytesToHex(rlpEncode(content))).toContain('8200ff');
    });
  }

  it('a 2-byte zero port and a 1-byte zero port both read as 0', () => {
    expect(Enr.decode(signedRecord({ udp: hexToBytes('0000') })).udp).toBe(0);
    expect(Enr.decode(signedRecord({ udp: hexToBytes('00') })).udp).toBe(0);
  });

  it('the enode URL of such a record carries the real port', () => {
    const enr = Enr.decode(signedRecord({ tcp: hexToBytes('0050'), udp: hexToBytes('00ff') }));
    expect(enodeFromEnr(enr)).toMatch(/@127\.0\.0\.1:80\?discport=255$/);
  });

  it('a record changed with with() is written canonically again', () => {
    const enr = Enr.decode(signedRecord({ udp: hexToBytes('00ff') }));
    const updated = enr.with(key, { udp: 255 });
    expect(updated.getBytes('udp')).toEqual(hexToBytes('ff'));
    expect(updated.udp).toBe(255);
  });

  for (const name of PORT_KEYS) {
    it(`${name} wider than 2 bytes is still ERR_ENR_INVALID_VALUE (00ffff, 010000, 0000ff)`, () => {
      for (const value of ['00ffff', '010000', '0000ff', '00000001']) {
        const err = errorOf(() => Enr.decode(signedRecord({ [name]: hexToBytes(value) })));
        expect(err.code).toBe(EnrErrorCode.InvalidValue);
        expect(err.message).toContain(name);
      }
    });
  }

  it('seq keeps go-ethereum strictness: leading zero bytes are ERR_ENR_INVALID_SEQ', () => {
    const err = errorOf(() => Enr.decode(signedRecord({ udp: hexToBytes('00ff') }, hexToBytes('0001'))));
    expect(err.code).toBe(EnrErrorCode.InvalidSeq);
  });

  it('entries given when building still take the 2-byte form and read back the number', () => {
    const enr = Enr.create({ privateKey: key, entries: { udp: hexToBytes('00ff') } });
    expect(enr.udp).toBe(255);
    expect(Enr.decode(enr.encode()).getBytes('udp')).toEqual(hexToBytes('00ff'));
  });
});
