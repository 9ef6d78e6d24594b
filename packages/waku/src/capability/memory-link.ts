import { yieldToEventLoop } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { createMemoryCapabilityPair, type MemoryCapabilityStream } from '@status-ts/devp2p';
import { WakuError, WakuErrorCode } from '../errors.js';
import type { WakuNode } from '../node/node.js';
import type { WakuPeer } from '../node/peer-session.js';
import { WAKU_PROTOCOL, WHISPER_PROTOCOL, type WireProtocolName } from '../wire/codes.js';

export interface MemoryLinkOptions {
  protocol?: WireProtocolName;
  /** Node ids the two ends present (random 64 bytes by default). */
  idA?: Uint8Array;
  idB?: Uint8Array;
}

export interface MemoryLink {
  /** The id `b` sees for `a`, and the id `a` sees for `b`. */
  idA: Uint8Array;
  idB: Uint8Array;
  /** `a`'s end and `b`'s end of the in-memory capability link. */
  streamA: MemoryCapabilityStream;
  streamB: MemoryCapabilityStream;
  /** Disconnects both ends. */
  close(reason?: number): void;
}

/**
 * Keeps a Node process running until the returned function is called, as an open socket does: a ref'd
 * timer that never fires. Every other timer of the stack is unref'd, so without it a program awaiting a
 * message over in-memory links only (`await filter.next()`) would end with an unsettled top-level await.
 */
function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 31 - 1);
  return () => clearInterval(handle);
}

/** The same stream, calling `onClose` once this end has closed the link. */
function notifyingClose(stream: MemoryCapabilityStream, onClose: () => void): MemoryCapabilityStream {
  return {
    name: stream.name,
    version: stream.version,
    remoteId: stream.remoteId,
    get closed() {
      return stream.closed;
    },
    get closeReason() {
      return stream.closeReason;
    },
    send: (code, payload) => stream.send(code, payload),
    messages: () => stream.messages(),
    close: (reason) => {
      stream.close(reason);
      onClose();
    },
  };
}

/** Waits (without the node's clock, so a ManualClock test needs no ticks) until both ends are ready. */
async function bothReady(
  a: WakuNode,
  b: WakuNode,
  streams: [MemoryCapabilityStream, MemoryCapabilityStream],
  protocol: WireProtocolName,
): Promise<[WakuPeer, WakuPeer]> {
  for (;;) {
    const peerOfA = a.getPeer(streams[0].remoteId, protocol);
    const peerOfB = b.getPeer(streams[1].remoteId, protocol);
    if (peerOfA && peerOfB) return [peerOfA, peerOfB];
    if (streams[0].closed) {
      throw new WakuError(
        WakuErrorCode.Handshake,
        `the link closed during the handshake (reason ${streams[0].closeReason})`,
        {
          details: { reason: streams[0].closeReason },
        },
      );
    }
    await yieldToEventLoop();
  }
}

/**
 * Connects two started nodes through an in-memory capability pair (no sockets) and resolves once both
 * handshakes completed: for tests, examples and single-process simulations. A devp2p `Server` does the
 * same over RLPx with `node.capabilities`. Like the socket it stands in for, an open link keeps the process
 * running; it closes with `link.close()`, when either node disconnects the peer, or when either stops.
 */
export async function linkInMemory(
  a: WakuNode,
  b: WakuNode,
  options: MemoryLinkOptions = {},
): Promise<MemoryLink> {
  const protocol = options.protocol ?? 'waku';
  const spec = protocol === 'waku' ? WAKU_PROTOCOL : WHISPER_PROTOCOL;
  const idA = options.idA ?? randomBytes(64);
  const idB = options.idB ?? randomBytes(64);
  const [pairA, pairB] = createMemoryCapabilityPair({ ...spec, idA, idB });
  // Every close of the link, a failed handshake's included, goes through one of its two ends.
  const release = holdProcessOpen();
  const streamA = notifyingClose(pairA, release);
  const streamB = notifyingClose(pairB, release);
  a.attach(streamA, protocol);
  b.attach(streamB, protocol);
  await bothReady(a, b, [streamA, streamB], protocol);
  return { idA, idB, streamA, streamB, close: (reason = 0) => streamA.close(reason) };
}
