import { bytesToHex, utf8ToBytes, xorBytes } from '@status-ts/core';
import { ecdhX, generatePrivateKey, getPublicKey, randomBytes, sign } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  ByteQueue,
  Devp2pErrorCode,
  encodeAuthBody,
  InitiatorHandshake,
  RecipientHandshake,
  type RecipientResult,
  type RlpxSecrets,
  sealEip8,
} from '../src/index.js';
import { publicKeyHash, sealLegacyAuth } from '../src/rlpx/handshake-messages.js';

function run(format: 'eip8' | 'legacy', chunk = Number.POSITIVE_INFINITY) {
  const keyA = generatePrivateKey();
  const keyB = generatePrivateKey();
  const initiator = new InitiatorHandshake(keyA, getPublicKey(keyB, 'raw'), { format });
  const recipient = new RecipientHandshake(keyB);
  const qb = new ByteQueue();
  let result: RecipientResult | undefined;
  for (let i = 0; i < initiator.authPacket.length && !result; i += chunk) {
    qb.push(initiator.authPacket.subarray(i, i + chunk));
    result = recipient.readAuth(qb);
  }
  expect(result).toBeDefined();
  const qa = new ByteQueue();
  let secretsA: RlpxSecrets | undefined;
  for (let i = 0; i < result!.ackPacket.length && !secretsA; i += chunk) {
    qa.push(result!.ackPacket.subarray(i, i + chunk));
    secretsA = initiator.readAck(qa);
  }
  expect(secretsA).toBeDefined();
  return { keyA, keyB, a: secretsA!, b: result!.secrets, format: result!.format, ack: result!.ackPacket };
}

function assertPaired(a: RlpxSecrets, b: RlpxSecrets) {
  expect(bytesToHex(a.aesSecret)).toBe(bytesToHex(b.aesSecret));
  expect(bytesToHex(a.macSecret)).toBe(bytesToHex(b.macSecret));
  a.egressMac.update(utf8ToBytes('x'));
  b.ingressMac.update(utf8ToBytes('x'));
  expect(bytesToHex(a.egressMac.digest())).toBe(bytesToHex(b.ingressMac.digest()));
  expect(bytesToHex(a.ingressMac.digest())).toBe(bytesToHex(b.egressMac.digest()));
}

describe('RLPx handshake', () => {
  it('EIP-8: both sides derive the same secrets and matching MAC states', () => {
    const { keyA, keyB, a, b, format } = run('eip8');
    expect(format).toBe('eip8');
    expect(bytesToHex(b.remoteId)).toBe(bytesToHex(getPublicKey(keyA, 'raw')));
    expect(bytesToHex(a.remoteId)).toBe(bytesToHex(getPublicKey(keyB, 'raw')));
    assertPaired(a, b);
  });

  it('legacy auth gets a legacy ack (reply in the format received)', () => {
    const { a, b, format, ack } = run('legacy');
    expect(format).toBe('legacy');
    expect(ack.length).toBe(210);
    assertPaired(a, b);
  });

  it('works when the packets arrive one byte at a time', () => {
    const { a, b } = run('eip8', 1);
    assertPaired(a, b);
    const legacy = run('legacy', 7);
    assertPaired(legacy.a, legacy.b);
  });

  it('pads EIP-8 packets with 100-299 bytes', () => {
    const keyB = generatePrivateKey();
    const sizes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const auth = new InitiatorHandshake(generatePrivateKey(), getPublicKey(keyB, 'raw')).authPacket;
      sizes.add(auth.length);
      // 2 (prefix) + 113 (ECIES) + 169 (RLP body) + padding
      expect(auth.length - 2 - 113 - 169).toBeGreaterThanOrEqual(100);
      expect(auth.length - 2 - 113 - 169).toBeLessThanOrEqual(299);
      expect((auth[0]! << 8) | auth[1]!).toBe(auth.length - 2);
    }
    expect(sizes.size).toBeGreaterThan(1);
  });

  it('rejects a declared size above maxHandshakeSize (default 2048) before reading it', () => {
    const recipient = new RecipientHandshake(generatePrivateKey());
    const q = new ByteQueue();
    q.push(Uint8Array.of(0x08, 0x01)); // 2049
    expect(() => recipient.readAuth(q)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.HandshakeTooLarge }),
    );
    const small = new RecipientHandshake(generatePrivateKey(), { maxHandshakeSize: 300 });
    const q2 = new ByteQueue();
    q2.push(Uint8Array.of(0x01, 0x2d)); // 301
    expect(() => small.readAuth(q2)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.HandshakeTooLarge }),
    );
  });

  it('accepts an auth of exactly maxHandshakeSize bytes with extra list elements', () => {
    const keyA = generatePrivateKey();
    const keyB = generatePrivateKey();
    const pubB = getPublicKey(keyB, 'raw');
    const ephemeral = generatePrivateKey();
    const nonce = randomBytes(32);
    const signature = sign(xorBytes(ecdhX(keyA, pubB), nonce), ephemeral);
    const body = rlpEncode([signature, getPublicKey(keyA, 'raw'), nonce, 4, 'extra', [1, 2]]);
    const packet = sealEip8(body, pubB, 2048 - 113 - body.length);
    expect(packet.length).toBe(2050);
    const q = new ByteQueue();
    q.push(packet);
    const result = new RecipientHandshake(keyB).readAuth(q)!;
    expect(bytesToHex(result.secrets.remoteId)).toBe(bytesToHex(getPublicKey(keyA, 'raw')));
    const zeroSig = sealEip8(
      encodeAuthBody({
        signature: new Uint8Array(65),
        initiatorPublicKey: getPublicKey(keyA, 'raw'),
        nonce,
        version: 4,
      }),
      pubB,
    );
    const q2 = new ByteQueue();
    q2.push(zeroSig);
    expect(() => new RecipientHandshake(keyB).readAuth(q2)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHandshake }),
    );
  });

  it('does not mistake an EIP-8 auth of 1024-1279 bytes (prefix byte 0x04) for a legacy one', () => {
    const keyA = generatePrivateKey();
    const keyB = generatePrivateKey();
    const pubB = getPublicKey(keyB, 'raw');
    const nonce = randomBytes(32);
    const signature = sign(xorBytes(ecdhX(keyA, pubB), nonce), generatePrivateKey());
    const body = rlpEncode([signature, getPublicKey(keyA, 'raw'), nonce, 4]);
    const packet = sealEip8(body, pubB, 1100 - 113 - body.length);
    expect(packet[0]).toBe(0x04);
    const q = new ByteQueue();
    q.push(packet.subarray(0, 400)); // enough for a legacy attempt, not for the packet
    const recipient = new RecipientHandshake(keyB);
    expect(recipient.readAuth(q)).toBeUndefined();
    q.push(packet.subarray(400));
    expect(recipient.readAuth(q)?.format).toBe('eip8');
  });

  it('rejects an auth sealed to another key and an auth that is not RLP', () => {
    const keyB = generatePrivateKey();
    const other = new InitiatorHandshake(generatePrivateKey(), getPublicKey(generatePrivateKey(), 'raw'));
    const q = new ByteQueue();
    q.push(other.authPacket);
    expect(() => new RecipientHandshake(keyB).readAuth(q)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHandshake }),
    );
    const garbage = sealEip8(randomBytes(50), getPublicKey(keyB, 'raw'));
    const q2 = new ByteQueue();
    q2.push(garbage);
    expect(() => new RecipientHandshake(keyB).readAuth(q2)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHandshake }),
    );
  });

  it('rejects an invalid remote id when dialing', () => {
    expect(() => new InitiatorHandshake(generatePrivateKey(), new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHandshake }),
    );
  });

  it('keeps the curve error as cause when the remote id is not a valid key', () => {
    try {
      new InitiatorHandshake(generatePrivateKey(), new Uint8Array(64));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: Devp2pErrorCode.BadHandshake });
      expect((err as Error).cause).toBeInstanceOf(Error);
    }
  });

  it('the initiator applies the default maxHandshakeSize (2048) to the ack', () => {
    const keyB = generatePrivateKey();
    const initiator = new InitiatorHandshake(generatePrivateKey(), getPublicKey(keyB, 'raw'));
    const q = new ByteQueue();
    q.push(Uint8Array.of(0x08, 0x01));
    expect(() => initiator.readAck(q)).toThrow(
      expect.objectContaining({
        code: Devp2pErrorCode.HandshakeTooLarge,
        details: { size: 2049, limit: 2048 },
      }),
    );
  });

  it('answers an EIP-8 auth with an EIP-8 ack (size prefix, padded beyond the legacy 210 bytes)', () => {
    const { ack, format } = run('eip8');
    expect(format).toBe('eip8');
    expect(ack.length).toBeGreaterThan(210 + 100);
    expect((ack[0]! << 8) | ack[1]!).toBe(ack.length - 2);
  });

  it('rejects a legacy auth whose ephemeral key hash does not match the signature', () => {
    const keyA = generatePrivateKey();
    const keyB = generatePrivateKey();
    const pubB = getPublicKey(keyB, 'raw');
    const ephemeral = generatePrivateKey();
    const nonce = randomBytes(32);
    const auth = (hashOf: Uint8Array) =>
      sealLegacyAuth(
        {
          signature: sign(xorBytes(ecdhX(keyA, pubB), nonce), ephemeral),
          ephemeralPublicKeyHash: publicKeyHash(hashOf),
          initiatorPublicKey: getPublicKey(keyA, 'raw'),
          nonce,
          version: 4,
        },
        pubB,
      );
    const good = new ByteQueue();
    good.push(auth(getPublicKey(ephemeral, 'raw')));
    expect(new RecipientHandshake(keyB).readAuth(good)?.format).toBe('legacy');
    const bad = new ByteQueue();
    bad.push(auth(getPublicKey(generatePrivateKey(), 'raw')));
    expect(() => new RecipientHandshake(keyB).readAuth(bad)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHandshake }),
    );
  });
});
