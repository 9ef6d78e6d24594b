import { createECDH } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { AsyncQueue } from '@status-ts/core';
import { ByteReader } from '../../src/byte-reader.js';
import { SUPPORTED_CIPHERS, SUPPORTED_EXCHANGES, SUPPORTED_HASHES } from '../../src/constants.js';
import { type HandshakeParams, type HandshakeResult, performHandshake } from '../../src/handshake.js';
import { memoryDuplexPair } from './memory-duplex.js';

export type Side = Partial<HandshakeParams> & { privateKey?: PrivateKey };

export async function defaults(side: Side): Promise<HandshakeParams> {
  return {
    exchanges: SUPPORTED_EXCHANGES,
    ciphers: SUPPORTED_CIPHERS,
    hashes: SUPPORTED_HASHES,
    maxHandshakeMessageLength: 64 * 1024,
    maxFrameLength: 8 * 1024 * 1024,
    ambiguousSecretWaitMs: 1000,
    ...side,
    privateKey: side.privateKey ?? (await generateKeyPair('secp256k1')),
  };
}

/** Runs our handshake on both ends of an in-memory pair; each side's outcome is returned separately. */
export async function handshakePair(
  a: Side,
  b: Side,
): Promise<[PromiseSettledResult<HandshakeResult>, PromiseSettledResult<HandshakeResult>]> {
  const [endA, endB] = memoryDuplexPair();
  const run = async (end: typeof endA, side: Side) => {
    const params = await defaults(side);
    const written = new AsyncQueue<Uint8Array>();
    const sinkDone = end.sink(written);
    try {
      return await performHandshake(
        {
          reader: new ByteReader(end.source),
          write: (bytes) => {
            written.push(bytes);
          },
        },
        params,
      );
    } finally {
      written.end();
      void sinkDone;
    }
  };
  const results = await Promise.allSettled([run(endA, a), run(endB, b)]);
  return results as [PromiseSettledResult<HandshakeResult>, PromiseSettledResult<HandshakeResult>];
}

/** Two P-256 private keys whose ECDH X coordinate starts with a zero byte (go and js derive different keys). */
export function ambiguousP256Keys(): { a: Uint8Array; b: Uint8Array } {
  for (;;) {
    const a = createECDH('prime256v1');
    a.generateKeys();
    const b = createECDH('prime256v1');
    b.generateKeys();
    const secret = a.computeSecret(b.getPublicKey());
    if (secret[0] === 0 && secret[1] !== 0) {
      return { a: scalar32(a.getPrivateKey()), b: scalar32(b.getPrivateKey()) };
    }
  }
}

/** node:crypto drops a private key's leading zero bytes (one key in 256); secio takes the fixed 32-byte form. */
function scalar32(key: Uint8Array): Uint8Array {
  const fixed = new Uint8Array(32);
  fixed.set(key, 32 - key.length);
  return fixed;
}
