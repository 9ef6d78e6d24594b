import { bytesToHex, xorBytes } from '@status-ts/core';
import { ecdhX, generatePrivateKey, getPublicKey, randomBytes, sign } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ByteQueue, Devp2pErrorCode } from '../src/index.js';
import {
  decodeAckBody,
  decodeAuthBody,
  LEGACY_AUTH_SIZE,
  MAX_EIP8_PADDING,
  readHandshakePacket,
  sealEip8,
  sealLegacyAuth,
} from '../src/rlpx/handshake-messages.js';

const badHandshake = expect.objectContaining({ code: Devp2pErrorCode.BadHandshake });

function errorOf(fn: () => unknown): { code?: string; cause?: unknown; details?: unknown } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; cause?: unknown };
  }
  throw new Error('did not throw');
}

function authBody(keyA: Uint8Array, pubB: Uint8Array, extra: unknown[] = []): Uint8Array {
  const nonce = randomBytes(32);
  const signature = sign(xorBytes(ecdhX(keyA, pubB), nonce), generatePrivateKey());
  return rlpEncode([signature, getPublicKey(keyA, 'raw'), nonce, 4, ...(extra as never[])]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('handshake message codecs', () => {
  it('pads EIP-8 bodies with up to 299 bytes (the top of the random range)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const body = new Uint8Array(10);
    const packet = sealEip8(body, getPublicKey(generatePrivateKey(), 'raw'));
    expect(packet.length).toBe(2 + 113 + 10 + MAX_EIP8_PADDING);
  });

  it('refuses to seal a legacy auth without the ephemeral key hash', () => {
    const msg = {
      signature: new Uint8Array(65),
      initiatorPublicKey: new Uint8Array(64),
      nonce: new Uint8Array(32),
      version: 4,
    };
    expect(() => sealLegacyAuth(msg, getPublicKey(generatePrivateKey(), 'raw'))).toThrow(badHandshake);
  });

  it('decoded fields are copies: changing the plaintext afterwards changes nothing', () => {
    const keyA = generatePrivateKey();
    const plaintext = authBody(keyA, getPublicKey(generatePrivateKey(), 'raw'));
    const auth = decodeAuthBody(plaintext, 'eip8');
    const before = bytesToHex(auth.initiatorPublicKey);
    plaintext.fill(0);
    expect(bytesToHex(auth.initiatorPublicKey)).toBe(before);
    expect(before).toBe(bytesToHex(getPublicKey(keyA, 'raw')));
  });

  it('rejects legacy plaintexts of the wrong size', () => {
    expect(() => decodeAuthBody(new Uint8Array(193), 'legacy')).toThrow(badHandshake);
    expect(() => decodeAckBody(new Uint8Array(96), 'legacy')).toThrow(badHandshake);
    expect(decodeAuthBody(new Uint8Array(194), 'legacy').version).toBe(4);
    expect(decodeAckBody(new Uint8Array(97), 'legacy').version).toBe(4);
  });

  it('wraps RLP errors of auth and ack bodies in BadHandshake with the RLP error as cause', () => {
    for (const err of [
      errorOf(() => decodeAuthBody(Uint8Array.of(0x05), 'eip8')),
      errorOf(() => decodeAckBody(Uint8Array.of(0x05), 'eip8')),
      errorOf(() =>
        decodeAuthBody(rlpEncode([new Uint8Array(64), new Uint8Array(64), new Uint8Array(32), 4]), 'eip8'),
      ),
      errorOf(() => decodeAckBody(rlpEncode([new Uint8Array(63), new Uint8Array(32), 4]), 'eip8')),
      errorOf(() =>
        decodeAckBody(rlpEncode([new Uint8Array(64), new Uint8Array(32), new Uint8Array(9)]), 'eip8'),
      ),
    ]) {
      expect(err.code).toBe(Devp2pErrorCode.BadHandshake);
      expect((err.cause as { code?: string }).code).toMatch(/^ERR_RLP_/);
    }
    expect(decodeAckBody(rlpEncode([new Uint8Array(64), new Uint8Array(32), 7, 'x']), 'eip8').version).toBe(
      7,
    );
  });

  it('accepts up to 1024 RLP items in a body and refuses more', () => {
    const keyA = generatePrivateKey();
    const pubB = getPublicKey(generatePrivateKey(), 'raw');
    expect(decodeAuthBody(authBody(keyA, pubB, Array(1000).fill(1)), 'eip8').version).toBe(4);
    expect(() => decodeAuthBody(authBody(keyA, pubB, Array(1100).fill(1)), 'eip8')).toThrow(badHandshake);
  });
});

describe('readHandshakePacket', () => {
  it('puts the declared size and the limit in HandshakeTooLarge details', () => {
    const q = new ByteQueue();
    q.push(Uint8Array.of(0x01, 0x2d));
    expect(() => readHandshakePacket(q, generatePrivateKey(), LEGACY_AUTH_SIZE, 300)).toThrow(
      expect.objectContaining({
        code: Devp2pErrorCode.HandshakeTooLarge,
        details: { size: 301, limit: 300 },
      }),
    );
  });

  it('refuses a declared size of at most the ECIES overhead at once, waits for anything longer', () => {
    const key = generatePrivateKey();
    const short = new ByteQueue();
    short.push(Uint8Array.of(0x00, 113));
    expect(() => readHandshakePacket(short, key, LEGACY_AUTH_SIZE, 2048)).toThrow(badHandshake);
    const enough = new ByteQueue();
    enough.push(Uint8Array.of(0x00, 114));
    expect(readHandshakePacket(enough, key, LEGACY_AUTH_SIZE, 2048)).toBeUndefined();
  });

  it('throws when an EIP-8 packet does not decrypt with our key', () => {
    const q = new ByteQueue();
    q.push(sealEip8(new Uint8Array(50), getPublicKey(generatePrivateKey(), 'raw')));
    const err = errorOf(() => readHandshakePacket(q, generatePrivateKey(), LEGACY_AUTH_SIZE, 2048));
    expect(err.code).toBe(Devp2pErrorCode.BadHandshake);
  });

  it('returns packets that do not share memory with the received chunks', () => {
    const keyB = generatePrivateKey();
    const pubB = getPublicKey(keyB, 'raw');
    const legacy = sealLegacyAuth(
      {
        signature: new Uint8Array(65),
        ephemeralPublicKeyHash: new Uint8Array(32),
        initiatorPublicKey: new Uint8Array(64),
        nonce: new Uint8Array(32),
        version: 4,
      },
      pubB,
    );
    const eip8 = sealEip8(new Uint8Array(80), pubB);
    for (const [wire, format] of [
      [legacy, 'legacy'],
      [eip8, 'eip8'],
    ] as const) {
      const chunk = wire.slice();
      const q = new ByteQueue();
      q.push(chunk);
      const packet = readHandshakePacket(q, keyB, LEGACY_AUTH_SIZE, 2048)!;
      expect(packet.format).toBe(format);
      chunk.fill(0);
      expect(bytesToHex(packet.packet)).toBe(bytesToHex(wire));
    }
  });
});
