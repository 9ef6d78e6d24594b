import { randomBytes } from 'node:crypto';
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../src/byte-reader.js';
import { SecioError, SecioErrorCode } from '../src/errors.js';
import type { HandshakeResult, SecretEncoding } from '../src/handshake.js';
import { performHandshake } from '../src/handshake.js';
import { handshakeOrder } from '../src/selection.js';
import { ambiguousP256Keys, defaults, handshakePair, type Side } from './helpers/handshake-pair.js';

function fulfilled(result: PromiseSettledResult<HandshakeResult>): HandshakeResult {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function rejectedCode(result: PromiseSettledResult<HandshakeResult>): string {
  expect(result.status).toBe('rejected');
  const reason = (result as PromiseRejectedResult).reason;
  expect(reason).toBeInstanceOf(SecioError);
  return (reason as SecioError).code;
}

/** Sealing with one side and opening with the other proves both derived the same directional keys. */
function expectWorkingChannel(a: HandshakeResult, b: HandshakeResult): void {
  const msg = new Uint8Array(randomBytes(1000));
  const frameAB = a.sealer.seal(msg);
  expect(b.opener.open(frameAB.subarray(4))).toEqual(msg);
  const frameBA = b.sealer.seal(msg);
  expect(a.opener.open(frameBA.subarray(4))).toEqual(msg);
}

describe('secio handshake (in-memory duplex)', () => {
  it('agrees on peers, suite and keys with default proposals (P-256, AES-256, SHA256)', async () => {
    const keyA = await generateKeyPair('secp256k1');
    const keyB = await generateKeyPair('secp256k1');
    const [ra, rb] = await handshakePair({ privateKey: keyA }, { privateKey: keyB });
    const a = fulfilled(ra);
    const b = fulfilled(rb);
    expect(a.remotePeer.equals(peerIdFromPrivateKey(keyB))).toBe(true);
    expect(b.remotePeer.equals(peerIdFromPrivateKey(keyA))).toBe(true);
    expect([a.exchange, a.suite.cipher, a.suite.hash]).toEqual(['P-256', 'AES-256', 'SHA256']);
    expect(b.suite).toEqual(a.suite);
    expectWorkingChannel(a, b);
  });

  it.each([
    [{ ciphers: ['AES-128'] as const }, 'P-256', 'AES-128', 'SHA256'],
    [{ hashes: ['SHA512'] as const }, 'P-256', 'AES-256', 'SHA512'],
    [{ exchanges: ['P-384'] as const }, 'P-384', 'AES-256', 'SHA256'],
    [{ exchanges: ['P-521'] as const, ciphers: ['AES-128'] as const }, 'P-521', 'AES-128', 'SHA256'],
  ])('selects the only common choice when one side offers %o', async (restricted, exchange, cipher, hash) => {
    const [ra, rb] = await handshakePair(restricted, {});
    const a = fulfilled(ra);
    const b = fulfilled(rb);
    expect([a.exchange, a.suite.cipher, a.suite.hash]).toEqual([exchange, cipher, hash]);
    expect([b.exchange, b.suite.cipher, b.suite.hash]).toEqual([exchange, cipher, hash]);
    expectWorkingChannel(a, b);
  });

  it('the preferring side (by the sha256 order rule) picks among shared choices', async () => {
    // Both offer both ciphers in opposite orders: whoever "prefers" decides, and both agree.
    const a: Side = { ciphers: ['AES-128', 'AES-256'], privateKey: await generateKeyPair('secp256k1') };
    const b: Side = { ciphers: ['AES-256', 'AES-128'], privateKey: await generateKeyPair('secp256k1') };
    const nonceA = new Uint8Array(randomBytes(16));
    const nonceB = new Uint8Array(randomBytes(16));
    const order = handshakeOrder(
      publicKeyToProtobuf(a.privateKey!.publicKey),
      nonceA,
      publicKeyToProtobuf(b.privateKey!.publicKey),
      nonceB,
    );
    const [ra, rb] = await handshakePair({ ...a, nonce: nonceA }, { ...b, nonce: nonceB });
    const expected = order > 0 ? 'AES-128' : 'AES-256';
    expect(fulfilled(ra).suite.cipher).toBe(expected);
    expect(fulfilled(rb).suite.cipher).toBe(expected);
  });

  it.each([
    ['Ed25519', () => generateKeyPair('Ed25519')],
    ['RSA', () => generateKeyPair('RSA', 1024)],
  ])('verifies %s identity keys', async (_name, make) => {
    const key: PrivateKey = await make();
    const [ra, rb] = await handshakePair({ privateKey: key }, {});
    expect(fulfilled(rb).remotePeer.equals(peerIdFromPrivateKey(key))).toBe(true);
    expectWorkingChannel(fulfilled(ra), fulfilled(rb));
  });

  it('rejects identity keys that libp2p 2.x cannot turn into a peer id (ECDSA) with ERR_SECIO_BAD_PUBLIC_KEY', async () => {
    const [, rb] = await handshakePair({ privateKey: await generateKeyPair('ECDSA', 'P-256') }, {});
    expect(rejectedCode(rb)).toBe(SecioErrorCode.BadPublicKey);
  });

  it('fails both sides with ERR_SECIO_NO_COMMON_ALGORITHM when proposals do not intersect', async () => {
    const [ra, rb] = await handshakePair({ ciphers: ['AES-128'] }, { ciphers: ['AES-256'] });
    expect(rejectedCode(ra)).toBe(SecioErrorCode.NoCommonAlgorithm);
    expect(rejectedCode(rb)).toBe(SecioErrorCode.NoCommonAlgorithm);
  });

  it('rejects a peer that is not the one dialled (ERR_SECIO_UNEXPECTED_PEER)', async () => {
    const someoneElse = peerIdFromPrivateKey(await generateKeyPair('secp256k1'));
    const [ra] = await handshakePair({ remotePeer: someoneElse }, {});
    expect(rejectedCode(ra)).toBe(SecioErrorCode.UnexpectedPeer);
  });

  it('rejects an Exchange signed by a key other than the proposed one (ERR_SECIO_BAD_SIGNATURE)', async () => {
    const claimed = await generateKeyPair('secp256k1');
    const signer = await generateKeyPair('secp256k1');
    const impostor = {
      ...claimed,
      publicKey: claimed.publicKey,
      sign: (data: Uint8Array) => signer.sign(data),
    };
    const [, rb] = await handshakePair({ privateKey: impostor as unknown as PrivateKey }, {});
    expect(rejectedCode(rb)).toBe(SecioErrorCode.BadSignature);
  });

  it('detects a connection to itself (same key and nonce) with ERR_SECIO_TALKING_TO_SELF', async () => {
    const key = await generateKeyPair('secp256k1');
    const nonce = new Uint8Array(16).fill(7);
    const [ra, rb] = await handshakePair({ privateKey: key, nonce }, { privateKey: key, nonce });
    expect(rejectedCode(ra)).toBe(SecioErrorCode.TalkingToSelf);
    expect(rejectedCode(rb)).toBe(SecioErrorCode.TalkingToSelf);
  });

  it("rejects with the signal's reason when it fires while waiting for the peer", async () => {
    const silentPeer = (async function* (): AsyncGenerator<Uint8Array> {
      await new Promise(() => undefined);
    })();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const handshake = performHandshake(
      { reader: new ByteReader(silentPeer), write: () => undefined },
      await defaults({ signal: controller.signal }),
    );
    const reason = await handshake.catch((err: unknown) => err);
    expect(reason).toBe(controller.signal.reason);
    expect(reason).toMatchObject({ name: 'AbortError' });
  });

  it('an upgrade timeout rejects with its TimeoutError, as js-libp2p expects', async () => {
    const silentPeer = (async function* (): AsyncGenerator<Uint8Array> {
      await new Promise(() => undefined);
    })();
    const signal = AbortSignal.timeout(20);
    const handshake = performHandshake(
      { reader: new ByteReader(silentPeer), write: () => undefined },
      await defaults({ signal }),
    );
    await expect(handshake).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('ECDH secret with a leading zero byte (go drops it, old js keeps it)', () => {
  /** Random nonces until our side (a) has the wanted order. */
  async function sides(wantOrder: 1 | -1, encodingB: SecretEncoding) {
    const keyA = await generateKeyPair('secp256k1');
    const keyB = await generateKeyPair('secp256k1');
    const ephemeral = ambiguousP256Keys();
    for (;;) {
      const nonceA = new Uint8Array(randomBytes(16));
      const nonceB = new Uint8Array(randomBytes(16));
      const order = handshakeOrder(
        publicKeyToProtobuf(keyA.publicKey),
        nonceA,
        publicKeyToProtobuf(keyB.publicKey),
        nonceB,
      );
      if (order !== wantOrder) continue;
      const a: Side = {
        privateKey: keyA,
        nonce: nonceA,
        ephemeralPrivateKey: ephemeral.a,
        // A go or fixed peer sends its nonce frame at once, so a long wait costs nothing and survives a
        // loaded machine; only two of ours (auto) wait the whole time, and then the outcome is go anyway.
        ambiguousSecretWaitMs: encodingB === 'auto' ? 50 : 10_000,
      };
      const b: Side = {
        privateKey: keyB,
        nonce: nonceB,
        ephemeralPrivateKey: ephemeral.b,
        secretEncoding: encodingB,
        ambiguousSecretWaitMs: 50,
      };
      return { a, b };
    }
  }

  it.each([
    [1, 'go', 'go'],
    [-1, 'go', 'go'],
    [1, 'fixed', 'fixed'],
    [-1, 'fixed', 'fixed'],
    [1, 'auto', 'go'],
    [-1, 'auto', 'go'],
  ] as const)('ours (order %i) against a peer using the %s form settles on %s', async (order, peer, form) => {
    const { a, b } = await sides(order, peer);
    const [ra, rb] = await handshakePair(a, b);
    expect(fulfilled(ra).secretForm).toBe(form);
    expect(fulfilled(rb).secretForm).toBe(form);
    expectWorkingChannel(fulfilled(ra), fulfilled(rb));
  });

  it('a go-form peer and a fixed-form peer cannot agree (why ours learns the form)', async () => {
    const { a, b } = await sides(1, 'fixed');
    const [ra, rb] = await handshakePair({ ...a, secretEncoding: 'go' }, b);
    expect(rejectedCode(ra)).toBe(SecioErrorCode.BadMac);
    expect(rejectedCode(rb)).toBe(SecioErrorCode.BadMac);
  });
});
