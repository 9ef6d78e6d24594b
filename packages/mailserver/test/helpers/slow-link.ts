import { yieldToEventLoop } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { type CapabilityStream, createMemoryCapabilityPair } from '@status-ts/devp2p';
import { WAKU_PROTOCOL, type WakuNode } from '@status-ts/waku';

export interface SlowLink {
  /** The id the server sees for the client, and the one the client sees for the server. */
  clientId: Uint8Array;
  serverId: Uint8Array;
  /** From now on the client reads nothing: what the server sends stays in its buffer. */
  stall(): void;
  /** Bytes the server sent since the stall, never delivered. */
  readonly buffered: number;
  /** The client reads again: the kept bytes are discarded and the waiting sends resolve. */
  resume(): void;
  close(): void;
}

/**
 * Links `server` and `client` in memory (as `linkInMemory`), but the server's end behaves like a socket whose
 * peer may stop reading: after `stall()` what the server sends is kept, undelivered, and each send resolves
 * only while the kept bytes are under `bufferBytes` (devp2p's backpressure: `send` resolves once the socket
 * buffer is under its write limit). Later sends wait until the link closes, then reject as devp2p's do.
 */
export async function linkSlowReader(
  server: WakuNode,
  client: WakuNode,
  options: { bufferBytes: number },
): Promise<SlowLink> {
  const serverId = randomBytes(64);
  const clientId = randomBytes(64);
  // The first end is the server's (it sees the client as idB), the second the client's.
  const [serverEnd, clientEnd] = createMemoryCapabilityPair({
    ...WAKU_PROTOCOL,
    idA: serverId,
    idB: clientId,
  });
  let stalled = false;
  let buffered = 0;
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const close = (reason?: number) => {
    serverEnd.close(reason);
    for (const w of waiting.splice(0)) w.reject(new Error('the peer is disconnected'));
  };
  const slowEnd: CapabilityStream = {
    name: serverEnd.name,
    version: serverEnd.version,
    remoteId: serverEnd.remoteId,
    get closed() {
      return serverEnd.closed;
    },
    send(code, payload) {
      if (!stalled || serverEnd.closed) return serverEnd.send(code, payload);
      buffered += payload.length;
      if (buffered <= options.bufferBytes) return Promise.resolve();
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    messages: () => serverEnd.messages(),
    close,
  };
  server.attach(slowEnd, 'waku');
  client.attach(clientEnd, 'waku');
  while (!server.getPeer(clientId) || !client.getPeer(serverId)) {
    if (serverEnd.closed) throw new Error('the link closed during the handshake');
    await yieldToEventLoop();
  }
  return {
    clientId,
    serverId,
    stall: () => {
      stalled = true;
    },
    get buffered() {
      return buffered;
    },
    resume: () => {
      stalled = false;
      buffered = 0;
      for (const w of waiting.splice(0)) w.resolve();
    },
    close: () => close(0),
  };
}
