import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { describe, expect, it } from 'vitest';
import { SecioError, SecioErrorCode } from '../src/errors.js';
import { Secio, type SecioInit, secio } from '../src/secio.js';
import {
  collect,
  fromChunks,
  type MemoryDuplex,
  memoryDuplexPair,
  sameBytes,
} from './helpers/memory-duplex.js';

async function securePair(initA: SecioInit = {}, initB: SecioInit = {}) {
  const keyA = await generateKeyPair('secp256k1');
  const keyB = await generateKeyPair('secp256k1');
  const [a, b] = memoryDuplexPair();
  const [outbound, inbound] = await Promise.allSettled([
    new Secio({ privateKey: keyA }, initA).secureOutbound(a, { remotePeer: peerIdFromPrivateKey(keyB) }),
    new Secio({ privateKey: keyB }, initB).secureInbound(b),
  ]);
  return { keyA, keyB, outbound, inbound };
}

function value<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

describe('Secio connection encrypter (in-memory duplex)', () => {
  it('is a libp2p ConnectionEncrypter for /secio/1.0.0 built by the secio() factory', async () => {
    const encrypter = secio()({ privateKey: await generateKeyPair('secp256k1') });
    expect(encrypter.protocol).toBe('/secio/1.0.0');
    expect(typeof encrypter.secureInbound).toBe('function');
    expect(typeof encrypter.secureOutbound).toBe('function');
  });

  it('secures both directions: peers identified, suite reported, data split into frames and reassembled', async () => {
    const { keyA, keyB, outbound, inbound } = await securePair({ maxPlaintextPerFrame: 1000 }, {});
    const out = value(outbound);
    const inb = value(inbound);
    expect(out.remotePeer.equals(peerIdFromPrivateKey(keyB))).toBe(true);
    expect(inb.remotePeer.equals(peerIdFromPrivateKey(keyA))).toBe(true);
    expect(out.remoteExtensions).toEqual({ exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' });

    const toB = new Uint8Array(randomBytes(250_000));
    const toA = new Uint8Array(randomBytes(3_000));
    const conns = [out.conn as MemoryDuplex, inb.conn as MemoryDuplex] as const;
    const [, , gotB, gotA] = await Promise.all([
      conns[0].sink(fromChunks([toB.subarray(0, 7), toB.subarray(7)])),
      conns[1].sink(fromChunks([toA])),
      collect(conns[1].source),
      collect(conns[0].source),
    ]);
    expect(sameBytes(gotB, toB)).toBe(true);
    expect(sameBytes(gotA, toA)).toBe(true);
  });

  it('reports a failed handshake through onError with a typed error, rejects, and ends the stream', async () => {
    const seen: SecioError[] = [];
    const { outbound, inbound } = await securePair(
      { ciphers: ['AES-128'], onError: (e) => seen.push(e) },
      { ciphers: ['AES-256'] },
    );
    expect(outbound.status).toBe('rejected');
    expect(inbound.status).toBe('rejected');
    expect((outbound as PromiseRejectedResult).reason).toBeInstanceOf(SecioError);
    expect(seen.map((e) => e.code)).toEqual([SecioErrorCode.NoCommonAlgorithm]);
  });

  it("an aborted handshake rejects with the signal's reason, aborts the connection and is not an onError failure", async () => {
    const seen: SecioError[] = [];
    const aborted: Error[] = [];
    const key = await generateKeyPair('secp256k1');
    const [a] = memoryDuplexPair(); // nobody answers on the other end
    const connection = Object.assign(a, { abort: (err: Error) => aborted.push(err) });
    const controller = new AbortController();
    const securing = new Secio({ privateKey: key }, { onError: (e) => seen.push(e) }).secureOutbound(
      connection,
      { signal: controller.signal },
    );
    controller.abort();
    await expect(securing).rejects.toBe(controller.signal.reason);
    await expect(securing).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted).toEqual([controller.signal.reason]);
    expect(seen).toEqual([]);
  });

  it('rejects options it cannot honour with ERR_SECIO_INVALID_OPTIONS', () => {
    expect(() => secio({ ciphers: [] })).toThrow(
      expect.objectContaining({ code: SecioErrorCode.InvalidOptions }),
    );
    expect(() => secio({ hashes: ['MD5' as never] })).toThrow(
      expect.objectContaining({ code: SecioErrorCode.InvalidOptions }),
    );
    expect(() => secio({ maxFrameLength: -1 })).toThrow(
      expect.objectContaining({ code: SecioErrorCode.InvalidOptions }),
    );
    expect(() => secio({ maxPlaintextPerFrame: 16 * 1024 * 1024 })).toThrow(
      expect.objectContaining({ code: SecioErrorCode.InvalidOptions }),
    );
  });
});
