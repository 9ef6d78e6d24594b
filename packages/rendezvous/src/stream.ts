import { AsyncQueue } from '@status-ts/core';
import { RendezvousError, RendezvousErrorCode } from './errors.js';

/**
 * The seam between the protocol and a transport: one bidirectional byte stream (a libp2p stream in
 * production, an in-memory pair in tests). Codec, server and client only ever see this.
 */
export interface RendezvousStream {
  /** Bytes from the peer; ends at the peer's half-close, throws when the stream is reset. */
  readonly source: AsyncIterable<Uint8Array>;
  /** Sends bytes; resolves once the transport has taken them. */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends our direction: the peer reads end-of-stream after everything written. */
  closeWrite(): Promise<void>;
  /** Aborts both directions at once (a libp2p stream reset). */
  reset(reason?: Error): void;
  /** Who is on the other end, for rate limits and logs (a libp2p peer id in text form). */
  readonly remotePeer: string;
  /** The peer's IP address as seen by this side (answers REMOTEIP), when the transport knows it. */
  readonly remoteIp?: string | undefined;
}

/** Opens a stream to a rendezvous server, given its address in the transport's own notation. */
export interface RendezvousDialer {
  dial(server: string, signal: AbortSignal): Promise<RendezvousStream>;
}

function resetError(reason?: Error): RendezvousError {
  return new RendezvousError(RendezvousErrorCode.StreamReset, 'stream reset', { cause: reason });
}

/** Queues a write; resolves when the reader takes it, so a writer feels back-pressure. */
export function writeTo(queue: AsyncQueue<Uint8Array>, bytes: Uint8Array): Promise<void> {
  return queue.pushAndWait(bytes, () => resetError(new Error('write after end')));
}

export interface MemoryStreamEnd {
  /** Peer name the *other* end reports as `remotePeer`. */
  peer?: string;
  /** IP the *other* end reports as `remoteIp`. */
  ip?: string;
}

/**
 * Two connected in-memory streams (`a` writes what `b` reads and the reverse). A reset on either end
 * errors both sources, like a libp2p stream reset.
 */
export function createMemoryStreamPair(
  a: MemoryStreamEnd = {},
  b: MemoryStreamEnd = {},
): { a: RendezvousStream; b: RendezvousStream } {
  const aToB = new AsyncQueue<Uint8Array>();
  const bToA = new AsyncQueue<Uint8Array>();
  const reset = (reason?: Error) => {
    const error = resetError(reason);
    aToB.fail(error);
    bToA.fail(error);
  };
  const end = (
    incoming: AsyncQueue<Uint8Array>,
    outgoing: AsyncQueue<Uint8Array>,
    other: MemoryStreamEnd,
  ): RendezvousStream => ({
    source: incoming,
    write: (bytes) => writeTo(outgoing, bytes.slice()),
    closeWrite: async () => outgoing.end(),
    reset,
    remotePeer: other.peer ?? 'memory-peer',
    remoteIp: other.ip,
  });
  return { a: end(bToA, aToB, b), b: end(aToB, bToA, a) };
}
