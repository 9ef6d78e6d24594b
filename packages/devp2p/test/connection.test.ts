import { EventEmitter } from 'node:events';
import { bytesToHex, concatBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_HANDSHAKE_SIZE,
  type Devp2pError,
  Devp2pErrorCode,
  RlpxConnection,
} from '../src/index.js';
import type { RlpxConnectionEvents, RlpxConnectionOptions, RlpxSocket } from '../src/rlpx/connection.js';

/** The socket members RlpxConnection uses, in memory: writes are collected until a test delivers them. */
class MemorySocket extends EventEmitter {
  destroyed = false;
  writableLength = 0;
  writableNeedDrain = false;
  corks = 0;
  uncorks = 0;
  #written: Uint8Array[] = [];
  write(bytes: Uint8Array): boolean {
    this.#written.push(bytes);
    return true;
  }
  cork(): void {
    this.corks++;
  }
  uncork(): void {
    this.uncorks++;
  }
  end(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  pause(): void {}
  resume(): void {}
  /** Everything written since the last take. */
  take(): Uint8Array {
    const out = concatBytes(...this.#written);
    this.#written = [];
    return out;
  }
}

interface Side {
  socket: MemorySocket;
  conn: RlpxConnection;
  opened: Uint8Array[];
  frames: Uint8Array[];
  errors: Devp2pError[];
  closed: number;
}

function side(options: RlpxConnectionOptions, extra: Partial<RlpxConnectionEvents> = {}): Side {
  const socket = new MemorySocket();
  const s = { socket, opened: [], frames: [], errors: [], closed: 0 } as unknown as Side;
  s.conn = new RlpxConnection(socket as unknown as RlpxSocket, options, {
    onOpen: (id) => s.opened.push(id),
    onFrame: (f) => s.frames.push(f),
    onError: (e) => s.errors.push(e),
    onClose: () => s.closed++,
    ...extra,
  });
  return s;
}

/** Moves what `from` wrote into `to`, in chunks of `chunk` bytes. */
function deliver(from: Side, to: Side, chunk = Number.POSITIVE_INFINITY): number {
  const bytes = from.socket.take();
  for (let i = 0; i < bytes.length; i += chunk) to.socket.emit('data', bytes.subarray(i, i + chunk));
  return bytes.length;
}

function keys() {
  const keyA = generatePrivateKey();
  const keyB = generatePrivateKey();
  return { keyA, keyB, pubA: getPublicKey(keyA, 'raw'), pubB: getPublicKey(keyB, 'raw') };
}

function connected(
  optionsA: Partial<RlpxConnectionOptions> = {},
  optionsB: Partial<RlpxConnectionOptions> = {},
  eventsB: Partial<RlpxConnectionEvents> = {},
) {
  const k = keys();
  const a = side({ privateKey: k.keyA, remoteId: k.pubB, ...optionsA });
  const b = side({ privateKey: k.keyB, ...optionsB }, eventsB);
  a.conn.start();
  b.conn.start();
  deliver(a, b);
  deliver(b, a);
  return { ...k, a, b };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('RlpxConnection', () => {
  it('opens both sides and carries frames both ways, counting the bytes in and out', () => {
    const { a, b, pubA, pubB } = connected();
    expect(a.conn.initiator).toBe(true);
    expect(b.conn.initiator).toBe(false);
    expect(bytesToHex(a.opened[0]!)).toBe(bytesToHex(pubB));
    expect(bytesToHex(b.opened[0]!)).toBe(bytesToHex(pubA));
    expect(bytesToHex(b.conn.remoteId!)).toBe(bytesToHex(pubA));
    expect(a.conn.isOpen && b.conn.isOpen).toBe(true);
    const handshakeOutA = a.conn.bytesOut;
    expect(b.conn.bytesIn).toBe(handshakeOutA);
    expect(a.conn.bytesIn).toBe(b.conn.bytesOut);

    const size = a.conn.writeMessage(0x10, Uint8Array.of(1, 2, 3));
    expect(a.conn.bytesOut).toBe(handshakeOutA + size);
    expect(deliver(a, b)).toBe(size);
    expect(b.frames.map(bytesToHex)).toEqual(['10010203']);
    b.conn.writeMessage(0x11, new Uint8Array(0));
    deliver(b, a);
    expect(a.frames.map(bytesToHex)).toEqual(['11']);
    expect(a.errors.concat(b.errors)).toEqual([]);
  });

  it('waits for the rest of a handshake message arriving byte by byte, holding the partial bytes', () => {
    const k = keys();
    const a = side({ privateKey: k.keyA, remoteId: k.pubB });
    const b = side({ privateKey: k.keyB });
    a.conn.start();
    b.conn.start();
    const auth = a.socket.take();
    for (let i = 0; i < 10; i++) b.socket.emit('data', auth.subarray(i, i + 1));
    expect(b.conn.bufferedBytes).toBe(10);
    b.socket.emit('data', auth.subarray(10));
    expect(b.conn.bufferedBytes).toBe(0);
    deliver(b, a, 1);
    expect(a.conn.isOpen && b.conn.isOpen).toBe(true);
    expect(a.errors.concat(b.errors)).toEqual([]);
  });

  it('corks the socket once per tick and uncorks it on the next one', async () => {
    const k = keys();
    const a = side({ privateKey: k.keyA, remoteId: k.pubB });
    a.conn.start();
    expect([a.socket.corks, a.socket.uncorks]).toEqual([1, 0]);
    await nextTick();
    expect([a.socket.corks, a.socket.uncorks]).toEqual([1, 1]);

    const { b } = connected();
    await nextTick();
    const corks = b.socket.corks;
    b.conn.writeMessage(1, new Uint8Array(1));
    b.conn.writeMessage(2, new Uint8Array(1));
    expect(b.socket.corks).toBe(corks + 1);
    await nextTick();
    expect(b.socket.uncorks).toBe(corks + 1);
    b.conn.writeMessage(3, new Uint8Array(1));
    expect(b.socket.corks).toBe(corks + 2);
  });

  it('refuses writeMessage before the handshake is done', () => {
    const k = keys();
    const a = side({ privateKey: k.keyA, remoteId: k.pubB });
    a.conn.start();
    expect(() => a.conn.writeMessage(0x10, new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.ConnectionClosed }),
    );
  });

  it('writes nothing to a destroyed socket', () => {
    const k = keys();
    const a = side({ privateKey: k.keyA, remoteId: k.pubB });
    a.socket.destroyed = true;
    a.conn.start();
    expect(a.socket.take().length).toBe(0);
    expect(a.conn.bytesOut).toBe(0);
    expect(a.socket.corks).toBe(0);
  });

  it('reports an invalid remote id from start() instead of throwing, and sends nothing', () => {
    const a = side({ privateKey: generatePrivateKey(), remoteId: new Uint8Array(64) });
    a.conn.start();
    expect(a.errors.map((e) => e.code)).toEqual([Devp2pErrorCode.BadHandshake]);
    expect(a.socket.take().length).toBe(0);
  });

  it('drops input after stopReading(): nothing parsed or buffered, bytes still counted', () => {
    const k = keys();
    const a = side({ privateKey: k.keyA, remoteId: k.pubB });
    const b = side({ privateKey: k.keyB });
    a.conn.start();
    b.conn.start();
    b.conn.stopReading();
    const n = deliver(a, b);
    expect(b.conn.bytesIn).toBe(n);
    expect(b.conn.bufferedBytes).toBe(0);
    expect(b.conn.isOpen).toBe(false);
    expect(b.socket.take().length).toBe(0);
  });

  it('applies maxHandshakeSize on both sides, default 2048', () => {
    const k = keys();
    const tooLarge = (s: Side, size: number) => {
      s.socket.emit('data', Uint8Array.of(size >>> 8, size & 0xff));
      return s.errors.map((e) => [e.code, e.details]);
    };
    const limit = (l: number) => ({ size: l + 1, limit: l });
    const b = side({ privateKey: k.keyB, maxHandshakeSize: 300 });
    b.conn.start();
    expect(tooLarge(b, 301)).toEqual([[Devp2pErrorCode.HandshakeTooLarge, limit(300)]]);
    const bDefault = side({ privateKey: k.keyB });
    bDefault.conn.start();
    expect(tooLarge(bDefault, 2049)).toEqual([
      [Devp2pErrorCode.HandshakeTooLarge, limit(DEFAULT_MAX_HANDSHAKE_SIZE)],
    ]);
    const a = side({ privateKey: k.keyA, remoteId: k.pubB, maxHandshakeSize: 300 });
    a.conn.start();
    expect(tooLarge(a, 301)).toEqual([[Devp2pErrorCode.HandshakeTooLarge, limit(300)]]);
  });

  it('dials with the legacy auth when asked, and EIP-8 by default', () => {
    const k = keys();
    const legacy = side({ privateKey: k.keyA, remoteId: k.pubB, handshakeFormat: 'legacy' });
    legacy.conn.start();
    expect(legacy.socket.take().length).toBe(307);
    const eip8 = side({ privateKey: k.keyA, remoteId: k.pubB });
    eip8.conn.start();
    const auth = eip8.socket.take();
    expect((auth[0]! << 8) | auth[1]!).toBe(auth.length - 2);
  });

  it('sends options.publicKey as our node id as given (no derivation from the private key)', () => {
    const other = getPublicKey(generatePrivateKey(), 'raw');
    const { b } = connected({ publicKey: other });
    expect(bytesToHex(b.opened[0]!)).toBe(bytesToHex(other));
  });

  it('applies maxFrameSize and passes each declared frame size to onFrameHeader', () => {
    const sizes: number[] = [];
    const { a, b } = connected({}, { maxFrameSize: 64 }, { onFrameHeader: (size) => sizes.push(size) });
    a.conn.writeMessage(0x10, new Uint8Array(5));
    deliver(a, b);
    expect(sizes).toEqual([6]);
    a.conn.writeMessage(0x10, new Uint8Array(64));
    deliver(a, b);
    expect(b.errors.map((e) => [e.code, e.details])).toEqual([
      [Devp2pErrorCode.FrameTooLarge, { size: 65, limit: 64 }],
    ]);
    expect(sizes).toEqual([6]);
  });

  it('refuses a frame when onFrameHeader throws', () => {
    const refusal = new Error('no');
    const { a, b } = connected(
      {},
      {},
      {
        onFrameHeader: () => {
          throw refusal;
        },
      },
    );
    a.conn.writeMessage(0x10, new Uint8Array(5));
    deliver(a, b);
    expect(b.frames).toEqual([]);
    expect(b.errors.map((e) => [e.code, e.cause])).toEqual([[Devp2pErrorCode.BadFrame, refusal]]);
  });

  it('reports a corrupt frame once, drops the rest, and ignores a later socket error', () => {
    const { a, b } = connected();
    a.conn.writeMessage(0x10, new Uint8Array(5));
    a.conn.writeMessage(0x11, new Uint8Array(5));
    const wire = a.socket.take();
    wire[40]! ^= 1; // first frame's body
    b.socket.emit('data', wire);
    expect(b.errors.map((e) => e.code)).toEqual([Devp2pErrorCode.BadMac]);
    expect(b.frames).toEqual([]);
    expect(b.conn.bufferedBytes).toBe(0);
    b.socket.emit('error', new Error('reset'));
    expect(b.errors.length).toBe(1);
  });

  it('turns an exception thrown by onFrame into BadFrame with the exception as cause', () => {
    const boom = new TypeError('boom');
    const { a, b } = connected(
      {},
      {},
      {
        onFrame: () => {
          throw boom;
        },
      },
    );
    a.conn.writeMessage(0x10, new Uint8Array(1));
    deliver(a, b);
    expect(b.errors.map((e) => [e.code, e.cause])).toEqual([[Devp2pErrorCode.BadFrame, boom]]);
  });

  it('reports a socket error as SocketError with its cause and stops writing', () => {
    const { a } = connected();
    const reset = new Error('ECONNRESET');
    a.socket.emit('error', reset);
    expect(a.errors.map((e) => [e.code, e.cause])).toEqual([[Devp2pErrorCode.SocketError, reset]]);
    expect(a.conn.isOpen).toBe(false);
    expect(() => a.conn.writeMessage(1, new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.ConnectionClosed }),
    );
  });

  it('on close: reports onClose, stops writing and reading, and detaches from data events', () => {
    const { a, b } = connected();
    b.socket.emit('close');
    expect(b.closed).toBe(1);
    expect(b.conn.isOpen).toBe(false);
    expect(() => b.conn.writeMessage(1, new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.ConnectionClosed }),
    );
    expect(b.socket.listenerCount('data')).toBe(0);
    const bytesIn = b.conn.bytesIn;
    a.conn.writeMessage(0x10, new Uint8Array(1));
    deliver(a, b);
    expect(b.conn.bytesIn).toBe(bytesIn);
    expect(b.frames).toEqual([]);
    b.socket.emit('error', new Error('late'));
    expect(b.errors).toEqual([]);
  });
});
