import { ManualClock } from '@status-ts/core';
import {
  decodePayload,
  exponentialBackoff,
  MvdsNode,
  type MvdsNodeOptions,
  type MvdsPayload,
  type MvdsTransport,
} from '../../src/index.js';

/** A 65-byte fake public key: peers are any byte ids, Status uses uncompressed keys. */
export function peerId(n: number): Uint8Array {
  const id = new Uint8Array(65).fill(n);
  id[0] = 0x04;
  return id;
}

export const GROUP = new Uint8Array(32).fill(0x77);

/** Captures what a node sends, so a test can inspect it and hand it to another node by hand. */
export class RecordingTransport implements MvdsTransport {
  readonly sent: Array<{ peer: Uint8Array; bytes: Uint8Array }> = [];
  maxPayloadSize: number | undefined;
  failNext = false;

  send(peer: Uint8Array, bytes: Uint8Array): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('link down'));
    }
    this.sent.push({ peer, bytes });
    return Promise.resolve();
  }

  /** Everything sent since the last call, decoded. */
  take(): Array<{ peer: Uint8Array; bytes: Uint8Array; payload: MvdsPayload }> {
    return this.sent.splice(0).map((s) => ({ ...s, payload: decodePayload(s.bytes) }));
  }
}

export interface TestNode {
  node: MvdsNode;
  transport: RecordingTransport;
  id: Uint8Array;
}

/** A node on a recording transport with a fast, deterministic backoff (1, 2, 4, 8 epochs, then again). */
export function testNode(n: number, clock: ManualClock, options: Partial<MvdsNodeOptions> = {}): TestNode {
  const transport = new RecordingTransport();
  const node = new MvdsNode({
    transport,
    clock,
    epochMs: 100,
    nextSendEpoch: exponentialBackoff({ baseEpochs: 1, maxEpochs: 8 }),
    ...options,
  });
  return { node, transport, id: peerId(n) };
}

export function newClock(): ManualClock {
  return new ManualClock(1_600_000_000_000);
}
