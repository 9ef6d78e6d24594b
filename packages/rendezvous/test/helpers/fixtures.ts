import { getPublicKey } from '@status-ts/crypto';
import { Enr, rlpEncode } from '@status-ts/enr';
import {
  createMemoryStreamPair,
  FrameReader,
  RendezvousError,
  type RendezvousServer,
} from '../../src/index.js';

let counter = 1;

/** A deterministic valid secp256k1 private key (never zero, always below the curve order). */
export function testKey(n = counter++): Uint8Array {
  const key = new Uint8Array(32);
  key[0] = 0x11;
  key[28] = (n >>> 24) & 0xff;
  key[29] = (n >>> 16) & 0xff;
  key[30] = (n >>> 8) & 0xff;
  key[31] = n & 0xff;
  getPublicKey(key);
  return key;
}

export function testEnr(options: { key?: Uint8Array; ip?: string; tcp?: number; seq?: bigint } = {}): Enr {
  return Enr.create({
    privateKey: options.key ?? testKey(),
    ip: options.ip ?? '127.0.0.1',
    tcp: options.tcp ?? 30303,
    seq: options.seq ?? 1n,
  });
}

/** The same record with one signature byte flipped: structurally valid, signature invalid. */
export function forgedEnrRlp(enr: Enr): Uint8Array {
  const bytes = enr.encode();
  // [sig(64 bytes), seq, ...]: list header, then 0xb8 0x40, then the signature.
  const listHeader = bytes[0]! >= 0xf8 ? 1 + bytes[0]! - 0xf7 : 1;
  const sigStart = listHeader + 2;
  bytes[sigStart + 5]! ^= 0x01;
  return bytes;
}

export const rlp = rlpEncode;

export interface Exchange {
  /** Raw items the server sent back, in order (type, body, type, body…). */
  items: Uint8Array[];
  /** True when the server reset the stream instead of closing it. */
  reset: boolean;
  error?: unknown;
}

/**
 * Sends raw bytes to `server` over an in-memory stream from `peer`, half-closes, and collects every item
 * the server answers until it closes or resets.
 */
export async function exchange(
  server: RendezvousServer,
  chunks: Uint8Array[],
  options: { peer?: string; ip?: string; keepOpen?: boolean } = {},
): Promise<Exchange> {
  const { a, b } = createMemoryStreamPair({ peer: options.peer ?? 'peer-1', ip: options.ip }, {});
  const handled = server.handleStream(b);
  // Write while reading: writes resolve only when the server takes them, as on a real transport.
  const writing = (async () => {
    for (const chunk of chunks) await a.write(chunk);
    if (!options.keepOpen) await a.closeWrite();
  })().catch(() => {});
  const reader = new FrameReader(a.source);
  const items: Uint8Array[] = [];
  try {
    for (;;) {
      const item = await reader.next();
      if (item === undefined) break;
      items.push(item);
    }
  } catch (error) {
    await handled;
    await writing;
    if (error instanceof RendezvousError && error.code === 'ERR_RENDEZVOUS_STREAM_RESET') {
      return { items, reset: true, error };
    }
    throw error;
  }
  await handled;
  await writing;
  return { items, reset: false };
}
