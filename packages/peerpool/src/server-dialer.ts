import { abortReason } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { type ConnectedPeer, type Dialer, type PeerCapability, type PeerTarget, targetId } from './dialer.js';

/** The part of a devp2p `Peer` the adapter uses (structural, so this package does not depend on devp2p). */
export interface Devp2pPeerLike {
  readonly idHex: string;
  readonly shared: ReadonlyArray<PeerCapability>;
  readonly closed: boolean;
  once(event: 'closed', listener: (info: { reason: number }) => void): unknown;
  off(event: 'closed', listener: (info: { reason: number }) => void): unknown;
  disconnect(reason?: number): void;
}

/** The part of a devp2p `Server` the adapter uses: `new Server(...)` fits it. */
export interface Devp2pServerLike {
  /** `signal` lets the server drop a dial still connecting; the adapter rejects at once either way. */
  dial(target: Enr | string, options?: { signal?: AbortSignal }): Promise<Devp2pPeerLike>;
  /** A connected peer by hex node id (the devp2p `Server` has it): lets a dial reuse an inbound connection. */
  getPeer?(id: string): Devp2pPeerLike | undefined;
}

/** devp2p reason 0x08 (client quitting) would be wrong here; 0x00 "disconnect requested" is what we mean. */
const DISCONNECT_REQUESTED = 0x00;

function wrapPeer(peer: Devp2pPeerLike): ConnectedPeer {
  return {
    id: peer.idHex,
    capabilities: peer.shared.map((c) => ({ name: c.name, version: c.version })),
    onDisconnected(listener) {
      let called = false;
      const once = (info?: { reason: number }) => {
        if (called) return;
        called = true;
        listener(info ? `devp2p disconnect 0x${info.reason.toString(16).padStart(2, '0')}` : 'closed');
      };
      if (peer.closed) {
        queueMicrotask(() => once());
        return () => {
          called = true;
        };
      }
      peer.once('closed', once);
      return () => {
        called = true;
        peer.off('closed', once);
      };
    },
    disconnect: () => peer.disconnect(DISCONNECT_REQUESTED),
  };
}

/**
 * A `Dialer` over a devp2p `Server`: `serverDialer(server)`. An aborted dial rejects at once with the
 * signal's reason and the signal is handed to the server, which drops the connection attempt; if a
 * connection completes anyway (a server that ignores the signal) it is closed. A dial refused because the
 * node is already connected (it dialed us) resolves with that connection.
 */
export function serverDialer(server: Devp2pServerLike): Dialer {
  return {
    dial(target: PeerTarget, signal?: AbortSignal): Promise<ConnectedPeer> {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const dialing = server.dial(target, signal ? { signal } : {}).catch((err: unknown) => {
        // An aborted dial must not adopt (and then close) a connection it did not make.
        if (signal?.aborted) throw err;
        // The node may already be connected to us (it dialed us first): use that connection.
        const existing = server.getPeer?.(targetId(target));
        if (existing && !existing.closed) return existing;
        throw err;
      });
      if (!signal) return dialing.then(wrapPeer);
      return new Promise<ConnectedPeer>((resolve, reject) => {
        const onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        dialing.then(
          (peer) => {
            signal.removeEventListener('abort', onAbort);
            if (signal.aborted) peer.disconnect(DISCONNECT_REQUESTED);
            else resolve(wrapPeer(peer));
          },
          (err: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(err);
          },
        );
      });
    },
  };
}
