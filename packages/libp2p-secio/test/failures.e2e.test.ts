import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lengthPrefixed } from '../src/byte-reader.js';
import { SecioError, SecioErrorCode } from '../src/errors.js';
import { type HandshakeParams, type HandshakeResult, performHandshake } from '../src/handshake.js';
import { defaults } from './helpers/handshake-pair.js';
import { sameBytes } from './helpers/memory-duplex.js';
import { invert, rendRoundTrip, startNode, type TestNode } from './helpers/node.js';
import { openRawSecio, type RawClient } from './helpers/raw-client.js';

describe('handshake and frame failures against a libp2p 2.x node (raw TCP on 127.0.0.1)', () => {
  let server: TestNode;
  let friend: TestNode;
  const errors: SecioError[] = [];
  let waiters: Array<(e: SecioError) => void> = [];

  beforeAll(async () => {
    server = await startNode({
      secio: {
        maxFrameLength: 1024 * 1024,
        onError: (error) => {
          errors.push(error);
          const pending = waiters;
          waiters = [];
          for (const w of pending) w(error);
        },
      },
    });
    friend = await startNode();
    // A healthy connection that must survive every failure below.
    expect(await rendRoundTrip(friend.node, server.address, Uint8Array.of(1, 2, 3))).toEqual(
      invert(Uint8Array.of(1, 2, 3)),
    );
  });
  afterAll(async () => {
    await friend?.stop();
    await server?.stop();
  });

  function nextServerError(): Promise<SecioError> {
    return new Promise((resolve) => waiters.push(resolve));
  }

  /** Runs our own handshake as the raw client (optionally with tampered parameters). */
  async function clientHandshake(
    client: RawClient,
    overrides: Partial<HandshakeParams> = {},
  ): Promise<HandshakeResult> {
    return performHandshake({ reader: client.reader, write: client.write }, await defaults(overrides));
  }

  async function expectServerFailure(
    code: SecioErrorCode,
    act: (client: RawClient) => Promise<unknown>,
  ): Promise<void> {
    const client = await openRawSecio(server.address);
    const failure = nextServerError();
    await act(client).catch(() => undefined);
    const error = await failure;
    expect(error).toBeInstanceOf(SecioError);
    expect(error.code).toBe(code);
    await client.closed; // the server closed this connection
  }

  it('wrong Exchange signature: ERR_SECIO_BAD_SIGNATURE and the connection closes', async () => {
    const claimed = await generateKeyPair('secp256k1');
    const signer = await generateKeyPair('secp256k1');
    const impostor = {
      publicKey: claimed.publicKey,
      sign: (d: Uint8Array) => signer.sign(d),
    } as unknown as PrivateKey;
    await expectServerFailure(SecioErrorCode.BadSignature, (c) =>
      clientHandshake(c, { privateKey: impostor }),
    );
  });

  it('a signed ephemeral key that is not a P-256 point: ERR_SECIO_BAD_EPHEMERAL_KEY', async () => {
    const offCurve = new Uint8Array(65).fill(1);
    offCurve[0] = 0x04;
    await expectServerFailure(SecioErrorCode.BadEphemeralKey, (c) =>
      clientHandshake(c, { sentEphemeralPublicKey: offCurve }),
    );
  });

  it('unsupported proposals: ERR_SECIO_NO_COMMON_ALGORITHM', async () => {
    await expectServerFailure(SecioErrorCode.NoCommonAlgorithm, (c) =>
      clientHandshake(c, { ciphers: ['Blowfish'] as never }),
    );
  });

  it('a Propose that is not protobuf: ERR_SECIO_BAD_MESSAGE', async () => {
    await expectServerFailure(SecioErrorCode.BadMessage, async (c) =>
      c.write(lengthPrefixed(Uint8Array.of(0x0a, 0xff))),
    );
  });

  it('a handshake message announced over the limit: ERR_SECIO_HANDSHAKE_TOO_LARGE before any body is read', async () => {
    await expectServerFailure(SecioErrorCode.HandshakeMessageTooLarge, async (c) =>
      c.write(Uint8Array.of(0x00, 0x10, 0x00, 0x00)),
    );
  });

  it('a truncated handshake message: ERR_SECIO_TRUNCATED', async () => {
    await expectServerFailure(SecioErrorCode.Truncated, async (c) => {
      c.write(Uint8Array.of(0, 0, 0, 100, 1, 2, 3));
      c.socket.end();
    });
  });

  it('a frame with a bad MAC after the handshake: ERR_SECIO_BAD_MAC', async () => {
    await expectServerFailure(SecioErrorCode.BadMac, async (c) => {
      const session = await clientHandshake(c);
      const frame = session.sealer.seal(new TextEncoder().encode('/multistream/1.0.0\n'));
      frame[frame.length - 1]! ^= 0x01;
      c.write(frame);
    });
  });

  it('a frame announced over maxFrameLength: ERR_SECIO_FRAME_TOO_LARGE', async () => {
    await expectServerFailure(SecioErrorCode.FrameTooLarge, async (c) => {
      await clientHandshake(c);
      c.write(Uint8Array.of(0x7f, 0xff, 0xff, 0xff));
    });
  });

  it('a truncated frame: ERR_SECIO_TRUNCATED', async () => {
    await expectServerFailure(SecioErrorCode.Truncated, async (c) => {
      await clientHandshake(c);
      c.write(Uint8Array.of(0, 0, 4, 0, 1, 2, 3, 4, 5));
      c.socket.end();
    });
  });

  it('keeps serving: the old connection and a new one still exchange bytes', async () => {
    const payload = new Uint8Array(randomBytes(50_000));
    expect(sameBytes(await rendRoundTrip(friend.node, server.address, payload), invert(payload))).toBe(true);
    const newcomer = await startNode();
    try {
      expect(sameBytes(await rendRoundTrip(newcomer.node, server.address, payload), invert(payload))).toBe(
        true,
      );
    } finally {
      await newcomer.stop();
    }
    expect(errors.map((e) => e.code)).toEqual([
      SecioErrorCode.BadSignature,
      SecioErrorCode.BadEphemeralKey,
      SecioErrorCode.NoCommonAlgorithm,
      SecioErrorCode.BadMessage,
      SecioErrorCode.HandshakeMessageTooLarge,
      SecioErrorCode.Truncated,
      SecioErrorCode.BadMac,
      SecioErrorCode.FrameTooLarge,
      SecioErrorCode.Truncated,
    ]);
  });
});
