import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { CapabilityMessage, CapabilityStream } from './capability.js';
import type { DisconnectReason } from './disconnect.js';
import { MessageQueue } from './message-queue.js';

/** The side of a peer a capability stream talks to. */
export interface StreamHost {
  readonly id: Uint8Array;
  readonly remoteAddress: string | undefined;
  readonly closed: boolean;
  sendMessage(code: number, payload: Uint8Array): Promise<void>;
  disconnect(reason?: number): void;
  onQueueDrained(): void;
}

/** Marks a rejection as handled so a caller that forgets to await never crashes the process. */
export function handledRejection(error: unknown): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}

/** A capability's view of one peer: relative codes, one message queue, shared backpressure. */
export class PeerCapabilityStream implements CapabilityStream {
  readonly name: string;
  readonly version: number;
  readonly offset: number;
  readonly length: number;
  readonly queue: MessageQueue;
  readonly #host: StreamHost;
  #taken = false;

  constructor(
    host: StreamHost,
    shared: { name: string; version: number; offset: number; length: number },
    receiveLimit: number,
  ) {
    this.#host = host;
    this.name = shared.name;
    this.version = shared.version;
    this.offset = shared.offset;
    this.length = shared.length;
    this.queue = new MessageQueue(Math.floor(receiveLimit / 2), () => host.onQueueDrained());
  }

  get remoteId(): Uint8Array {
    return this.#host.id;
  }

  get remoteAddress(): string | undefined {
    return this.#host.remoteAddress;
  }

  get closed(): boolean {
    return this.#host.closed;
  }

  send(code: number, payload: Uint8Array): Promise<void> {
    if (!Number.isInteger(code) || code < 0 || code >= this.length) {
      return handledRejection(
        new Devp2pError(
          Devp2pErrorCode.InvalidSend,
          `message code ${code} is outside ${this.name}/${this.version}'s ${this.length} codes`,
          { details: { code, length: this.length } },
        ),
      );
    }
    return this.#host.sendMessage(this.offset + code, payload);
  }

  messages(): AsyncIterable<CapabilityMessage> {
    if (this.#taken) {
      throw new Devp2pError(
        Devp2pErrorCode.InvalidSend,
        `messages() of ${this.name} was already taken: a stream has one consumer`,
      );
    }
    this.#taken = true;
    return this.queue;
  }

  close(reason?: DisconnectReason | number): void {
    this.#host.disconnect(reason);
  }
}
