import { bytesToHex } from '@status-ts/core';
import {
  createAesCtr,
  createKeccak256,
  generatePrivateKey,
  getPublicKey,
  keccak256,
} from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import fc from 'fast-check';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  ByteQueue,
  DEFAULT_MAX_MESSAGE_SIZE,
  Devp2pError,
  decodeAckBody,
  decodeAuthBody,
  decodeDisconnect,
  decodeHello,
  FrameDecoder,
  FrameEncoder,
  InitiatorHandshake,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  RecipientHandshake,
  RlpxMac,
  readHandshakePacket,
  snappyCompress,
  snappyDecompress,
  splitFrame,
} from '../src/index.js';

const RUNS = { numRuns: 1000 };

/** Runs fn; anything thrown must be a Devp2pError. */
function onlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof Devp2pError)) throw new Error(`untyped error: ${String(err)}`, { cause: err });
  }
}

function codecPair(maxFrameSize?: number) {
  const aes = keccak256(Uint8Array.of(1));
  const mac = keccak256(Uint8Array.of(2));
  const iv = new Uint8Array(16);
  const mk = () => new RlpxMac(createKeccak256().update(Uint8Array.of(3)), mac);
  return {
    encoder: new FrameEncoder(createAesCtr(aes, iv), mk()),
    decoder: new FrameDecoder(createAesCtr(aes, iv), mk(), maxFrameSize),
  };
}

/** Feeds `bytes` to a fresh decoder in chunks; returns the frames read before an error. */
function feed(bytes: Uint8Array, cuts: number[], maxFrameSize?: number): Uint8Array[] {
  const { decoder } = codecPair(maxFrameSize);
  const q = new ByteQueue();
  const frames: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    q.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
    for (let f = decoder.read(q); f; f = decoder.read(q)) frames.push(f);
  }
  return frames;
}

describe('frame decoder under hostile input', () => {
  it('random bytes: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        onlyTyped(() => feed(bytes, cuts, 4096));
      }),
      RUNS,
    );
  });

  it('mutated valid frames: any changed byte fails as ERR_RLPX_BAD_MAC', () => {
    const { encoder } = codecPair();
    const frames = [
      encoder.encode(0x10, Uint8Array.of(1, 2, 3)),
      encoder.encode(0x11, new Uint8Array(40).fill(5)),
    ];
    const wire = new Uint8Array([...frames[0]!, ...frames[1]!]);
    fc.assert(
      fc.property(
        fc.nat(wire.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (pos, flip, cuts) => {
          const mutated = wire.slice();
          mutated[pos]! ^= flip;
          let decoded: Uint8Array[] = [];
          try {
            decoded = feed(mutated, cuts);
          } catch (err) {
            expect(err).toBeInstanceOf(Devp2pError);
            expect((err as Devp2pError).code).toBe('ERR_RLPX_BAD_MAC');
            return;
          }
          throw new Error(`mutation at ${pos} went unnoticed (${decoded.length} frames)`);
        },
      ),
      RUNS,
    );
  });

  it('splitFrame on random bytes: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => onlyTyped(() => splitFrame(b))),
      RUNS,
    );
  });
});

describe('handshake decoders under hostile input', () => {
  const keyA = generatePrivateKey();
  const keyB = generatePrivateKey();
  const pubA = getPublicKey(keyA, 'raw');
  const pubB = getPublicKey(keyB, 'raw');
  const validAuth = new InitiatorHandshake(keyA, pubB).authPacket;

  it('random bytes with and without a consistent size prefix: only typed errors', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        (body, prefixed, legacyLike) => {
          let bytes = body;
          if (prefixed) bytes = Uint8Array.from([body.length >> 8, body.length & 0xff, ...body]);
          else if (legacyLike) bytes = Uint8Array.from([4, ...body, ...new Uint8Array(LEGACY_AUTH_SIZE)]);
          const q = new ByteQueue();
          q.push(bytes);
          onlyTyped(() => new RecipientHandshake(keyB).readAuth(q));
          const q2 = new ByteQueue();
          q2.push(bytes);
          onlyTyped(() => readHandshakePacket(q2, keyA, LEGACY_ACK_SIZE, 2048));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('mutated valid auth packets: rejected with typed errors (ECIES MAC)', () => {
    fc.assert(
      fc.property(fc.nat(validAuth.length - 1), fc.integer({ min: 1, max: 255 }), (pos, flip) => {
        const mutated = validAuth.slice();
        mutated[pos]! ^= flip;
        const q = new ByteQueue();
        q.push(mutated);
        let accepted = false;
        try {
          accepted = new RecipientHandshake(keyB).readAuth(q) !== undefined;
        } catch (err) {
          expect(err).toBeInstanceOf(Devp2pError);
          return;
        }
        // Only a change of the size prefix to a larger size can leave the packet incomplete.
        expect(accepted).toBe(false);
        expect(pos).toBeLessThan(2);
      }),
      RUNS,
    );
  });

  it('decrypted auth and ack bodies with random or mutated content: only typed errors', () => {
    const sig = new Uint8Array(65);
    const realBody = rlpEncode([sig, pubA, new Uint8Array(32), 4]);
    const recipient = new RecipientHandshake(keyB);
    const initiator = new InitiatorHandshake(keyA, pubB);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.nat(realBody.length - 1), fc.nat(255)).map(([i, v]) => {
            const b = realBody.slice();
            b[i] = v;
            return b;
          }),
          fc
            .tuple(
              fc.uint8Array({ minLength: 65, maxLength: 65 }),
              fc.uint8Array({ minLength: 32, maxLength: 32 }),
            )
            .map(([s, n]) => rlpEncode([s, pubA, n, 4, 'extra'])),
        ),
        fc.constantFrom('eip8' as const, 'legacy' as const),
        (plaintext, format) => {
          onlyTyped(() => decodeAuthBody(plaintext, format));
          onlyTyped(() => decodeAckBody(plaintext, format));
          onlyTyped(() => recipient.acceptAuth({ packet: plaintext, plaintext, format }));
          onlyTyped(() => initiator.acceptAck({ packet: plaintext, plaintext, format }));
        },
      ),
      RUNS,
    );
  });
});

describe('p2p decoders under hostile input', () => {
  it('snappy: random bytes only throw typed errors; valid data round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyTyped(() => snappyDecompress(b, 1 << 20))),
      RUNS,
    );
    // Mixed compressibility: random runs, repeats of them, and runs of one byte; both decoders must agree.
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(60)).map(([p, n]) => {
        const out = new Uint8Array(p.length * (n + 1));
        for (let i = 0; i < out.length; i += p.length) out.set(p, i);
        return out;
      }),
      fc.tuple(fc.nat(255), fc.nat(3000)).map(([v, n]) => new Uint8Array(n).fill(v)),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), (chunks) => {
        const input = Uint8Array.from(chunks.flatMap((c) => [...c]));
        const compressed = snappyCompress(input);
        expect(bytesToHex(snappyDecompress(compressed, DEFAULT_MAX_MESSAGE_SIZE))).toBe(bytesToHex(input));
        expect(bytesToHex(snappyjs.uncompress(compressed))).toBe(bytesToHex(input));
      }),
      RUNS,
    );
  });

  it('snappy: mutated valid streams only throw typed errors', () => {
    const valid = snappyCompress(new TextEncoder().encode('status '.repeat(100)));
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(255), (i, v) => {
        const b = valid.slice();
        b[i] = v;
        onlyTyped(() => snappyDecompress(b, 1 << 20));
      }),
      RUNS,
    );
  });

  it('Hello and Disconnect: random bytes only throw typed errors (Disconnect never throws)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        onlyTyped(() => decodeHello(b));
        decodeDisconnect(b);
      }),
      RUNS,
    );
  });
});
