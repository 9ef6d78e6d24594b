import { abortReason, bytesToHex, equalBytes, TypedEmitter } from '@status-ts/core';
import { convertPublicKey, isValidPrivateKey, keccak256 } from '@status-ts/crypto';
import { DEFAULT_FILTER_DEDUP_SIZE, DEFAULT_FILTER_QUEUE_LIMIT } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { assertSymKey } from '../payload/encryption.js';
import type { PayloadKey, ReceivedMessage } from '../payload/message.js';
import { assertTopic, type Topic } from '../topics.js';

/** What a filter matches (WAKU-23): topics, exactly one key, a minimum PoW, P2P allowed or not, a signer. */
export type FilterOptions = {
  topics: readonly Topic[];
  /** Only envelopes with at least this PoW (default 0). */
  minPow?: number;
  /** Also deliver envelopes from trusted peers' P2P messages (mailserver history). Default true. */
  allowP2P?: boolean;
  /** Only messages signed by this public key (any form). */
  signer?: Uint8Array;
  /** Messages buffered for a slow consumer; the oldest is dropped beyond (default 1024). */
  queueLimit?: number;
} & PayloadKey;

export interface FilterEvents {
  message: [ReceivedMessage];
  closed: [];
}

let nextFilterId = 1;

/**
 * An installed filter. Messages arrive as `message` events and through async iteration (`for await`), each
 * envelope at most once. `close()` (or `node.unsubscribe`) ends iteration.
 */
export class Filter extends TypedEmitter<FilterEvents> implements AsyncIterable<ReceivedMessage> {
  readonly id: string;
  readonly topics: readonly Topic[];
  readonly topicHexes: readonly string[];
  readonly minPow: number;
  readonly allowP2P: boolean;
  readonly key: PayloadKey;
  /** Identifies the key without holding it as text (hash of the key): filters sharing a key decrypt once. */
  readonly keyId: string;
  readonly #signer: Uint8Array | undefined;
  readonly #queueLimit: number;
  readonly #queue: ReceivedMessage[] = [];
  readonly #waiters: Array<{ resolve: (m: ReceivedMessage | undefined) => void }> = [];
  readonly #seen = new Set<string>();
  #closed = false;
  #onClose: (() => void) | undefined;
  /** Messages dropped because the queue was full. */
  overflowed = 0;

  constructor(options: FilterOptions, onClose?: () => void) {
    super();
    if (!Array.isArray(options.topics) || options.topics.length === 0) {
      throw new WakuError(WakuErrorCode.InvalidOptions, 'a filter needs at least one topic');
    }
    for (const t of options.topics) assertTopic(t, 'filter topic');
    if ((options.symKey === undefined) === (options.privateKey === undefined)) {
      throw new WakuError(WakuErrorCode.BadKey, 'a filter holds exactly one of symKey and privateKey');
    }
    if (options.symKey !== undefined) assertSymKey(options.symKey);
    else if (!isValidPrivateKey(options.privateKey!))
      throw new WakuError(WakuErrorCode.BadKey, 'invalid private key');
    const minPow = options.minPow ?? 0;
    if (!(minPow >= 0) || !Number.isFinite(minPow)) {
      throw new WakuError(WakuErrorCode.InvalidOptions, `minPow must be a finite number >= 0, got ${minPow}`);
    }
    this.id = `filter-${nextFilterId++}`;
    this.topics = options.topics.map((t) => t.slice());
    this.topicHexes = [...new Set(this.topics.map((t) => bytesToHex(t)))];
    this.minPow = minPow;
    this.allowP2P = options.allowP2P ?? true;
    this.key =
      options.symKey !== undefined
        ? { symKey: options.symKey.slice() }
        : { privateKey: options.privateKey!.slice() };
    this.keyId =
      (options.symKey !== undefined ? 's' : 'a') +
      bytesToHex(keccak256(options.symKey ?? options.privateKey!));
    this.#signer =
      options.signer === undefined ? undefined : convertPublicKey(options.signer, 'uncompressed');
    this.#queueLimit = options.queueLimit ?? DEFAULT_FILTER_QUEUE_LIMIT;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Messages waiting to be read. */
  get pending(): number {
    return this.#queue.length;
  }

  /** True when `signer` passes this filter's signer restriction. */
  acceptsSigner(signer: Uint8Array | undefined): boolean {
    return this.#signer === undefined || (signer !== undefined && equalBytes(signer, this.#signer));
  }

  /** Hands a message to the filter; false when it already had this envelope. Used by the node. */
  deliver(message: ReceivedMessage): boolean {
    if (this.#closed || this.#seen.has(message.hashHex)) return false;
    this.#seen.add(message.hashHex);
    if (this.#seen.size > DEFAULT_FILTER_DEDUP_SIZE) {
      // Sets iterate in insertion order: forget the oldest hash.
      this.#seen.delete(this.#seen.values().next().value!);
    }
    this.emit('message', message);
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(message);
    else {
      this.#queue.push(message);
      if (this.#queue.length > this.#queueLimit) {
        this.#queue.shift();
        this.overflowed++;
      }
    }
    return true;
  }

  /**
   * The next message (waits for one); rejects once the filter is closed, or with the signal's reason when
   * `signal` aborts (the filter stays installed and keeps what arrives for a later call).
   */
  async next(options: { signal?: AbortSignal } = {}): Promise<ReceivedMessage> {
    const message = await this.#take(options.signal);
    if (message === undefined) throw new WakuError(WakuErrorCode.NotRunning, 'the filter is closed');
    return message;
  }

  #take(signal?: AbortSignal): Promise<ReceivedMessage | undefined> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#closed) return Promise.resolve(undefined);
    if (!signal) return new Promise((resolve) => this.#waiters.push({ resolve }));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (message: ReceivedMessage | undefined) => {
          signal.removeEventListener('abort', onAbort);
          resolve(message);
        },
      };
      // An aborted wait gives up its place, so the next message is queued instead of lost to it.
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<ReceivedMessage> {
    return {
      next: async () => {
        const value = await this.#take();
        return value === undefined ? { value: undefined, done: true } : { value, done: false };
      },
      // Leaving a for-await loop ends that loop only; the filter stays installed until close().
      return: async () => ({ value: undefined, done: true }),
    };
  }

  /** Stops delivery and ends every pending `next()` / iteration. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    for (const w of this.#waiters.splice(0)) w.resolve(undefined);
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
    this.emit('closed');
  }
}
