import type { Connection, Stream } from '@libp2p/interface';
import { AsyncQueue } from '@status-ts/core';
import { RendezvousError, RendezvousErrorCode } from '../errors.js';
import { type RendezvousStream, writeTo } from '../stream.js';

/** The peer's IP from a connection's remote multiaddr (`/ip4/…` or `/ip6/…`), if it has one. */
function remoteIpOf(connection: Connection): string | undefined {
  const first = connection.remoteAddr.stringTuples()[0];
  if (!first) return undefined;
  const [code, value] = first;
  return code === 4 || code === 41 ? value : undefined;
}

/** Adapts a libp2p stream to the protocol's `RendezvousStream` seam. */
export function fromLibp2pStream(stream: Stream, connection: Connection): RendezvousStream {
  const outgoing = new AsyncQueue<Uint8Array>();
  const sinkDone = stream.sink(outgoing).catch((err: unknown) => {
    outgoing.fail(err instanceof Error ? err : new Error(String(err)));
  });
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream.source) yield chunk.subarray();
    } catch (cause) {
      throw new RendezvousError(RendezvousErrorCode.StreamReset, 'libp2p stream failed', { cause });
    }
  }
  return {
    source: source(),
    write: (bytes) => writeTo(outgoing, bytes),
    async closeWrite() {
      outgoing.end();
      await sinkDone;
    },
    reset(reason) {
      outgoing.fail(new RendezvousError(RendezvousErrorCode.StreamReset, 'stream reset', { cause: reason }));
      stream.abort(reason ?? new Error('rendezvous stream reset'));
    },
    remotePeer: connection.remotePeer.toString(),
    remoteIp: remoteIpOf(connection),
  };
}
