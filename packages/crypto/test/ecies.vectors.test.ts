import { bytesToHex, concatBytes, hexToBytes, xorBytes } from '@status-ts/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptSymmetric,
  ECIES_OVERHEAD,
  ecdhX,
  eciesDecrypt,
  getPublicKey,
  initFastCrypto,
  keccak256,
  recoverPublicKey,
} from '../src/index.js';
import { onPath, PATHS, readVectors } from './helpers.js';

const hex = bytesToHex;
const bytes = hexToBytes;

/** Minimal RLP reader for the handshake bodies: returns the items of the outer list and its encoded size. */
function readRlpList(data: Uint8Array): { items: Uint8Array[]; size: number } {
  const readHeader = (at: number): { offset: number; length: number; list: boolean } => {
    const b = data[at]!;
    if (b < 0x80) return { offset: at, length: 1, list: false };
    if (b < 0xb8) return { offset: at + 1, length: b - 0x80, list: false };
    if (b < 0xc0) {
      const n = b - 0xb7;
      return {
        offset: at + 1 + n,
        length: Number(BigInt(`0x${hex(data.subarray(at + 1, at + 1 + n))}`)),
        list: false,
      };
    }
    if (b < 0xf8) return { offset: at + 1, length: b - 0xc0, list: true };
    const n = b - 0xf7;
    return {
      offset: at + 1 + n,
      length: Number(BigInt(`0x${hex(data.subarray(at + 1, at + 1 + n))}`)),
      list: true,
    };
  };
  const outer = readHeader(0);
  expect(outer.list).toBe(true);
  const items: Uint8Array[] = [];
  for (let at = outer.offset; at < outer.offset + outer.length; ) {
    const item = readHeader(at);
    items.push(data.subarray(item.list ? at : item.offset, item.offset + item.length));
    at = item.offset + item.length;
  }
  return { items, size: outer.offset + outer.length };
}

const eip8 = readVectors('rlpx-eip8.json');
const hs = eip8.handshake;
const keyA = bytes(hs.static_key_a);
const keyB = bytes(hs.static_key_b);
const staticPubA = getPublicKey(keyA, 'raw');
const staticPubB = getPublicKey(keyB, 'raw');
const ephPubA = getPublicKey(bytes(hs.ephemeral_key_a), 'raw');
const ephPubB = getPublicKey(bytes(hs.ephemeral_key_b), 'raw');
const nonceA = bytes(hs.nonce_a);
const nonceB = bytes(hs.nonce_b);

/** EIP-8 packets: size(2, big-endian) || ECIES(body) with the size prefix as shared MAC data (s2). */
function openEip8(key: Uint8Array, packetHex: string): Uint8Array {
  const packet = bytes(packetHex);
  const size = (packet[0]! << 8) | packet[1]!;
  expect(size).toBe(packet.length - 2);
  return eciesDecrypt(key, packet.subarray(2), packet.subarray(0, 2));
}

/** The auth signature signs (static ECDH X xor initiator nonce) with the initiator's ephemeral key. */
function expectAuthSignature(signature: Uint8Array): void {
  const signed = xorBytes(ecdhX(keyA, staticPubB), nonceA);
  expect(hex(recoverPublicKey(signed, signature, 'raw'))).toBe(hex(ephPubA));
}

beforeAll(async () => {
  await initFastCrypto();
});

describe.each(PATHS)('ECIES against go-ethereum / EIP-8 vectors (%s path)', (path) => {
  it('decrypts Auth1 (legacy, no s2) to the 194-byte plaintext with the expected fields', () =>
    onPath(path, () => {
      const packet = bytes(hs.packets.auth1_legacy.hex);
      expect(packet.length).toBe(307);
      const pt = eciesDecrypt(keyB, packet);
      expect(pt.length).toBe(194);
      expect(pt.length + ECIES_OVERHEAD).toBe(packet.length);
      expectAuthSignature(pt.subarray(0, 65));
      expect(hex(pt.subarray(65, 97))).toBe(hex(keccak256(ephPubA)));
      expect(hex(pt.subarray(97, 161))).toBe(hex(staticPubA));
      expect(hex(pt.subarray(161, 193))).toBe(hs.nonce_a);
      expect(pt[193]).toBe(0);
    }));

  it('decrypts Ack1 (legacy) to ephemeral key B || nonce B || 0', () =>
    onPath(path, () => {
      const pt = eciesDecrypt(keyA, bytes(hs.packets.ack1_legacy.hex));
      expect(hex(pt)).toBe(`${hex(ephPubB)}${hs.nonce_b}00`);
    }));

  it.each([
    ['auth2_eip8', 4, []],
    ['auth3_eip8', 56, ['01', '02', 'c20405']],
  ] as const)(
    'decrypts %s (EIP-8, size prefix as s2) to rlp([sig, pubA, nonceA, version, ...])',
    (name, version, extra) =>
      onPath(path, () => {
        const body = openEip8(keyB, hs.packets[name].hex);
        expect([0xf8, 0xf9]).toContain(body[0]);
        const { items, size } = readRlpList(body);
        expect(size).toBeLessThanOrEqual(body.length); // the rest is random padding
        expectAuthSignature(items[0]!);
        expect(hex(items[1]!)).toBe(hex(staticPubA));
        expect(hex(items[2]!)).toBe(hex(nonceA));
        expect(Number(BigInt(`0x${hex(items[3]!) || '0'}`))).toBe(version);
        expect(items.slice(4).map((i) => hex(i))).toEqual([...extra]);
      }),
  );

  it.each([
    ['ack2_eip8', 4, []],
    ['ack3_eip8', 57, ['06', 'c20708', '81fa']],
  ] as const)('decrypts %s (EIP-8) to rlp([ephB, nonceB, version, ...])', (name, version, extra) =>
    onPath(path, () => {
      const body = openEip8(keyA, hs.packets[name].hex);
      expect([0xf8, 0xf9]).toContain(body[0]);
      const { items } = readRlpList(body);
      expect(hex(items[0]!)).toBe(hex(ephPubB));
      expect(hex(items[1]!)).toBe(hex(nonceB));
      expect(Number(BigInt(`0x${hex(items[2]!)}`))).toBe(version);
      // Single-byte items are their own encoding; "81fa" is the one RLP string of one byte >= 0x80.
      const encoded = items.slice(3).map((i) => (i.length === 1 && i[0]! >= 0x80 ? `81${hex(i)}` : hex(i)));
      expect(encoded).toEqual([...extra]);
    }),
  );

  it('fails EIP-8 packets without the size prefix as s2, or with a wrong one (typed BAD_MAC)', () =>
    onPath(path, () => {
      const packet = bytes(hs.packets.auth2_eip8.hex);
      expect(() => eciesDecrypt(keyB, packet.subarray(2))).toThrowError(
        expect.objectContaining({ code: 'ERR_CRYPTO_BAD_MAC' }),
      );
      expect(() =>
        eciesDecrypt(keyB, packet.subarray(2), Uint8Array.of(packet[0]!, packet[1]! ^ 1)),
      ).toThrowError(expect.objectContaining({ code: 'ERR_CRYPTO_BAD_MAC' }));
      expect(() => eciesDecrypt(keyA, packet.subarray(2), packet.subarray(0, 2))).toThrowError(
        expect.objectContaining({ code: 'ERR_CRYPTO_BAD_MAC' }),
      );
    }));

  it('decrypts the legacy fjl gist auth/auth-ack ciphertexts to their exact recorded plaintexts', () =>
    onPath(path, () => {
      const g = eip8.legacy_fjl_gist;
      expect(hex(eciesDecrypt(bytes(g.receiver_private_key), bytes(g.auth_ciphertext)))).toBe(
        g.auth_plaintext,
      );
      expect(hex(eciesDecrypt(bytes(g.initiator_private_key), bytes(g.authresp_ciphertext)))).toBe(
        g.authresp_plaintext,
      );
    }));

  it('decrypts Waku payloads sealed by a live status-go (captured-status-go.json)', () =>
    onPath(path, () => {
      const captured = readVectors('captured-status-go.json');
      const cases = findCases(captured.items, ['asym_unsigned', 'asym_signed', 'sym_unsigned', 'sym_signed']);
      expect(cases.length).toBe(4);
      for (const c of cases) {
        const data = bytes(c.envelope.data);
        const plaintext = c.case.startsWith('asym')
          ? eciesDecrypt(bytes(captured.keys.asym_recipient_key.private), data)
          : decryptSymmetric(bytes(captured.keys.symmetric.key), data);
        expect(hex(plaintext)).toBe(c.decrypted.plaintext.slice(2));
        if (c.case.startsWith('asym')) {
          const eph = c.decrypted.ecies_ephemeral_pubkey.slice(2);
          const wire = concatBytes(bytes(eph), bytes(c.decrypted.ecies_iv));
          expect(hex(data.subarray(0, 81))).toBe(hex(wire));
        }
      }
    }));
});

// biome-ignore lint/suspicious/noExplicitAny: walking untyped vector JSON
function findCases(node: any, names: string[], found: any[] = []): any[] {
  if (Array.isArray(node)) for (const item of node) findCases(item, names, found);
  else if (node !== null && typeof node === 'object') {
    if (names.includes(node.case) && node.envelope?.data) found.push(node);
    else for (const value of Object.values(node)) findCases(value, names, found);
  }
  return found;
}
