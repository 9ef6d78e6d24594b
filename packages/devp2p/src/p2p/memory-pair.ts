import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { CapabilityMessage, CapabilityStream } from './capability.js';
import { handledRejection } from './capability-stream.js';
import type { DisconnectReason } from './disconnect.js';
import { MessageQueue } from './message-queue.js';

/** One end of an in-memory capability link; `closeReason` tells what the other side saw. */
export interface MemoryCapabilityStream extends CapabilityStream {
  /** The reason given to `close` by either end, once closed. */
  readonly closeReason: number | undefined;
}

export interface MemoryPairOptions {
  name: string;
  version: number;
  /** Message ids the capability uses; sends outside [0, length) reject as over RLPx. */
  length: number;
  /** 64-byte node ids of the two ends. */
  idA: Uint8Array;
  idB: Uint8Array;
}

/**
 * Two connected `CapabilityStream`s with no sockets, for testing a subprotocol (waku, mailserver) in one
 * process: what one end sends, the other receives, in order; closing either end closes both.
 */
export function createMemoryCapabilityPair(
  options: MemoryPairOptions,
): [MemoryCapabilityStream, MemoryCapabilityStream] {
  const link = { closed: false, reason: undefined as number | undefined };
  const queueA = new MessageQueue(0, () => {});
  const queueB = new MessageQueue(0, () => {});
  const close = (reason: number) => {
    if (link.closed) return;
    link.closed = true;
    link.reason = reason;
    queueA.end();
    queueB.end();
  };
  const end = (remoteId: Uint8Array, inbox: MessageQueue, outbox: MessageQueue): MemoryCapabilityStream => {
    let taken = false;
    return {
      name: options.name,
      version: options.version,
      remoteId,
      get closed() {
        return link.closed;
      },
      get closeReason() {
        return link.reason;
      },
      send(code: number, payload: Uint8Array): Promise<void> {
        if (!Number.isInteger(code) || code < 0 || code >= options.length) {
          return handledRejection(
            new Devp2pError(
              Devp2pErrorCode.InvalidSend,
              `message code ${code} is outside ${options.name}'s range`,
            ),
          );
        }
        if (link.closed) {
          return handledRejection(
            new Devp2pError(Devp2pErrorCode.ConnectionClosed, 'the peer is disconnected'),
          );
        }
        outbox.push({ code, payload: payload.slice() });
        return Promise.resolve();
      },
      messages(): AsyncIterable<CapabilityMessage> {
        if (taken) throw new Devp2pError(Devp2pErrorCode.InvalidSend, 'messages() was already taken');
        taken = true;
        return inbox;
      },
      close(reason?: DisconnectReason | number): void {
        close(reason ?? 0);
      },
    };
  };
  // A's inbox is queueA (B writes to it) and vice versa.
  return [end(options.idB, queueA, queueB), end(options.idA, queueB, queueA)];
}
