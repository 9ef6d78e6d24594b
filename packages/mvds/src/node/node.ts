import {
  bytesToHex,
  type Cancel,
  type Clock,
  createLogger,
  type Logger,
  systemClock,
  TypedEmitter,
} from '@status-ts/core';
import { type NextSendEpoch, statusBackoff } from '../backoff.js';
import {
  DEFAULT_MAX_SENDS,
  MAX_DUE_PER_EPOCH,
  MAX_PAYLOAD_RECORDS,
  MAX_PAYLOAD_SIZE,
  STATUS_EPOCH_MS,
} from '../constants.js';
import { MvdsError, MvdsErrorCode } from '../errors.js';
import { assertGroupId, assertPeerId } from '../ids.js';
import { type MvdsMessage, messageId } from '../message.js';
import {
  decodePayload,
  encodePayload,
  type MvdsPayload,
  type PayloadLimits,
  payloadRecordCount,
} from '../payload.js';
import { splitPayload } from '../split.js';
import { createMemoryStores } from '../stores/memory.js';
import type { MvdsStores, RecordKey, SyncRecord } from '../stores/types.js';
import type { MvdsTransport } from '../transport.js';
import { messageRecordSize } from '../wire-size.js';
import { Outbox } from './outbox.js';
import type {
  DeliveredMessage,
  GiveUpEvent,
  MvdsNodeEvents,
  MvdsNodeOptions,
  MvdsNodeStats,
  OutgoingMessage,
  ReceiveResult,
  SendOptions,
  SyncMode,
} from './types.js';

function positiveInteger(value: number, name: string): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * An MVDS node (vacp2p MVDS spec, Status flavour). Messages sent to a group are synchronised with every
 * peer of the group: per peer and message a record (offer, request or message) with a send count and the
 * epoch it is next due. Once per epoch each peer gets at most one payload with everything due for it plus
 * the acks, offers and requests that are waiting (piggy-backing). Received messages reach the application
 * once (`message` event), however often they arrive, also across restarts with persistent stores.
 *
 * All state changes run one at a time in arrival order (receive, send, epoch ticks), so stores never see
 * interleaved updates.
 */
export class MvdsNode extends TypedEmitter<MvdsNodeEvents> {
  readonly mode: SyncMode;
  readonly epochMs: number;
  readonly maxSends: number;
  readonly stats: MvdsNodeStats = {
    epochs: 0,
    payloadsSent: 0,
    bytesSent: 0,
    payloadsReceived: 0,
    invalidPayloads: 0,
    delivered: 0,
    duplicates: 0,
    givenUp: 0,
  };
  readonly #transport: MvdsTransport;
  readonly #stores: MvdsStores;
  readonly #clock: Clock;
  readonly #nextSendEpoch: NextSendEpoch;
  readonly #relay: boolean;
  readonly #limits: PayloadLimits;
  readonly #maxOutgoing: number;
  readonly #maxRecords: number;
  readonly #maxDue: number;
  readonly #log: Logger;
  readonly #outbox = new Outbox();
  #epoch = 0;
  #epochLoaded = false;
  #running = false;
  #cancelTimer: Cancel | undefined;
  #abort: AbortController | undefined;
  #receiveLoop: Promise<void> | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(options: MvdsNodeOptions) {
    super();
    this.#transport = options.transport;
    this.#stores = options.stores ?? createMemoryStores();
    this.#clock = options.clock ?? systemClock;
    this.mode = options.mode ?? 'batch';
    this.epochMs = positiveInteger(options.epochMs ?? STATUS_EPOCH_MS, 'epochMs');
    this.#nextSendEpoch = options.nextSendEpoch ?? statusBackoff({ epochMs: this.epochMs });
    this.maxSends = options.maxSends ?? DEFAULT_MAX_SENDS;
    if (!(this.maxSends >= 1)) {
      throw new MvdsError(MvdsErrorCode.InvalidArgument, `maxSends must be at least 1, got ${this.maxSends}`);
    }
    this.#relay = options.relay ?? false;
    this.#maxRecords = positiveInteger(
      options.maxRecordsPerPayload ?? MAX_PAYLOAD_RECORDS,
      'maxRecordsPerPayload',
    );
    this.#limits = {
      maxPayloadSize: positiveInteger(options.maxPayloadSize ?? MAX_PAYLOAD_SIZE, 'maxPayloadSize'),
      maxRecords: this.#maxRecords,
    };
    this.#maxOutgoing = positiveInteger(
      options.maxOutgoingPayloadSize ?? this.#transport.maxPayloadSize ?? MAX_PAYLOAD_SIZE,
      'maxOutgoingPayloadSize',
    );
    this.#maxDue = positiveInteger(options.maxDuePerEpoch ?? MAX_DUE_PER_EPOCH, 'maxDuePerEpoch');
    this.#log = options.logger ?? createLogger('status-ts:mvds');
  }

  /** The current epoch (restored from the sync-state store on `start`). */
  get epoch(): number {
    return this.#epoch;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts the epoch timer and, if the transport has one, the receive loop. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.#run(() => this.#loadEpoch());
    this.#cancelTimer = this.#clock.setInterval(() => {
      this.tick().catch((err) => this.#fail(err));
    }, this.epochMs);
    if (this.#transport.receive) {
      const abort = new AbortController();
      this.#abort = abort;
      this.#receiveLoop = this.#consume(abort.signal);
    }
  }

  /** Stops the timer and the receive loop, then waits for work in progress. State stays in the stores. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#abort?.abort();
    await this.#receiveLoop;
    this.#abort = undefined;
    this.#receiveLoop = undefined;
    await this.idle();
  }

  /** Resolves once every queued operation (receives, sends, ticks) has finished. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#tail;
  }

  /** True when no operation is queued or running. */
  get isIdle(): boolean {
    return this.#pending === 0;
  }

  /** Makes `peer` a member of the group: it gets every message sent to the group from now on. */
  addPeer(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    assertGroupId(groupId);
    assertPeerId(peer);
    return this.#run(() => this.#stores.groups.add(groupId, peer));
  }

  /** Removes `peer` from the group and forgets what was still to be sent to it for that group. */
  removePeer(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    assertGroupId(groupId);
    assertPeerId(peer);
    return this.#run(async () => {
      await this.#stores.groups.remove(groupId, peer);
      const records = (await this.#stores.syncState.forPeer(peer)).filter(
        (r) => r.groupId !== undefined && bytesToHex(r.groupId) === bytesToHex(groupId),
      );
      await this.#stores.syncState.apply({ remove: records });
      await this.#dropUnreferenced(records.map((r) => r.messageId));
    });
  }

  peers(groupId: Uint8Array): Promise<Uint8Array[]> {
    assertGroupId(groupId);
    return this.#stores.groups.peers(groupId);
  }

  /**
   * Shares `body` with every peer of the group; resolves with the message id. The message leaves at the
   * next epoch (with `mode` batch as a MESSAGE, interactive as an OFFER). Its timestamp is the clock's Unix
   * seconds, as status-go writes it.
   */
  send(groupId: Uint8Array, body: Uint8Array, options: SendOptions = {}): Promise<Uint8Array> {
    assertGroupId(groupId);
    if (!(body instanceof Uint8Array))
      throw new MvdsError(MvdsErrorCode.InvalidArgument, 'body must be bytes');
    const message: MvdsMessage = {
      groupId: groupId.slice(),
      timestamp: BigInt(Math.floor(this.#clock.now() / 1000)),
      body: body.slice(),
    };
    const size = messageRecordSize(message);
    const limit = Math.min(this.#maxOutgoing, this.#limits.maxPayloadSize ?? MAX_PAYLOAD_SIZE);
    if (size > limit) {
      throw new MvdsError(
        MvdsErrorCode.MessageTooLarge,
        `message needs ${size} bytes, payload limit ${limit}`,
        {
          details: { size, limit },
        },
      );
    }
    const type = (options.mode ?? this.mode) === 'batch' ? 'message' : 'offer';
    return this.#run(async () => {
      const peers = await this.#stores.groups.peers(message.groupId);
      if (peers.length === 0) {
        throw new MvdsError(MvdsErrorCode.UnknownGroup, `group ${bytesToHex(groupId)} has no peers`);
      }
      const id = messageId(message);
      await this.#stores.messages.put(id, message);
      await this.#stores.delivered.add([id]);
      await this.#stores.syncState.apply({
        put: peers.map((peer) => this.#newRecord(peer, id, type, message.groupId)),
      });
      return id;
    });
  }

  /**
   * Handles bytes from a peer. Returns whether they were MVDS (status-go's rule: a `Payload` with at least
   * one record) and the messages delivered for the first time. Invalid bytes are reported with
   * `payload:invalid` and `{ mvds: false, error }`; they never throw.
   */
  /**
   * Handles a payload from `peer`. With `accept`, new messages are handed to it first and recorded as
   * delivered (and acknowledged) only once it resolves: an application that stores them there loses nothing
   * if the process dies in between, since an unacknowledged message is sent again. If `accept` rejects,
   * nothing of the payload is committed and `receive` rejects with that error.
   */
  receive(
    peer: Uint8Array,
    bytes: Uint8Array,
    options: { accept?: (messages: readonly DeliveredMessage[]) => Promise<void> } = {},
  ): Promise<ReceiveResult> {
    assertPeerId(peer);
    let payload: MvdsPayload;
    try {
      payload = decodePayload(bytes, this.#limits);
    } catch (err) {
      if (!(err instanceof MvdsError)) throw err;
      this.stats.invalidPayloads++;
      this.emit('payload:invalid', { peer, error: err });
      return Promise.resolve({ mvds: false, error: err });
    }
    if (payloadRecordCount(payload) === 0) return Promise.resolve({ mvds: false });
    this.stats.payloadsReceived++;
    return this.#run(() => this.#onPayload(peer.slice(), payload, options.accept));
  }

  /**
   * Runs one epoch now: sends every record that is due plus waiting acks, at most one payload per peer
   * (more only if it must be split). The epoch timer calls this; tests may too.
   */
  tick(): Promise<void> {
    return this.#run(() => this.#tick());
  }

  /**
   * A peer came back online: make everything pending for it due at the next epoch instead of waiting for
   * the backoff (status-im/mvds resets a peer's epochs the same way). Send counts are kept.
   */
  peerOnline(peer: Uint8Array): Promise<void> {
    assertPeerId(peer);
    return this.#run(async () => {
      const next = this.#epoch + 1;
      const records = (await this.#stores.syncState.forPeer(peer)).filter((r) => r.sendEpoch > next);
      await this.#stores.syncState.apply({ put: records.map((r) => ({ ...r, sendEpoch: next })) });
    });
  }

  /**
   * Our messages a peer has not acknowledged yet, with their bodies: after a restart, what an application
   * needs to tie acknowledgements that arrive later to its own message ids.
   */
  outgoing(): Promise<OutgoingMessage[]> {
    return this.#run(async () => {
      const { syncState, messages } = this.#stores;
      // Every record is due by the end of time: this lists them all.
      const records = await syncState.due(Number.MAX_SAFE_INTEGER, await syncState.size());
      const out: OutgoingMessage[] = [];
      for (const record of records) {
        if (record.type === 'request') continue;
        const message = await messages.get(record.messageId);
        if (message)
          out.push({ peer: record.peer, id: record.messageId, groupId: message.groupId, body: message.body });
      }
      return out;
    });
  }

  /** Number of records (offers, requests, messages) still waiting for an answer. */
  pendingRecords(): Promise<number> {
    return this.#stores.syncState.size();
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** Queues `fn` behind every earlier operation. */
  #run<T>(fn: () => Promise<T>): Promise<T> {
    this.#pending++;
    const run = this.#tail.then(fn);
    const done = (): void => {
      this.#pending--;
    };
    this.#tail = run.then(done, done);
    return run;
  }

  #fail(err: unknown): void {
    this.#log.error('mvds: %s', err instanceof Error ? err.message : String(err));
    this.emit('error', err);
  }

  /** A throwing listener must not stop the deliveries after it or break the node's state machine. */
  #emitSafe<E extends 'message' | 'acked' | 'give-up'>(event: E, arg: MvdsNodeEvents[E][0]): void {
    try {
      (this.emit as (event: E, arg: MvdsNodeEvents[E][0]) => boolean)(event, arg);
    } catch (err) {
      this.#fail(err);
    }
  }

  async #loadEpoch(): Promise<void> {
    if (this.#epochLoaded) return;
    this.#epoch = Math.max(this.#epoch, await this.#stores.syncState.loadEpoch());
    this.#epochLoaded = true;
  }

  async #consume(signal: AbortSignal): Promise<void> {
    try {
      for await (const { peer, payload } of this.#transport.receive!(signal)) {
        if (signal.aborted) break;
        try {
          await this.receive(peer, payload);
        } catch (err) {
          this.#fail(err);
        }
      }
    } catch (err) {
      if (!signal.aborted) this.#fail(err);
    }
  }

  #newRecord(
    peer: Uint8Array,
    messageId: Uint8Array,
    type: SyncRecord['type'],
    groupId?: Uint8Array,
  ): SyncRecord {
    return { peer, messageId, type, groupId, sendCount: 0, sendEpoch: this.#epoch + 1 };
  }

  async #tick(): Promise<void> {
    await this.#loadEpoch();
    const epoch = ++this.#epoch;
    this.stats.epochs++;
    const { syncState, messages } = this.#stores;
    const due = await syncState.due(epoch, this.#maxDue);
    const put: SyncRecord[] = [];
    const remove: RecordKey[] = [];
    const gaveUp: SyncRecord[] = [];
    const cache = new Map<string, MvdsMessage | undefined>();
    const load = async (id: Uint8Array): Promise<MvdsMessage | undefined> => {
      const key = bytesToHex(id);
      if (!cache.has(key)) cache.set(key, await messages.get(id));
      return cache.get(key);
    };
    for (const r of due) {
      if (r.sendCount >= this.maxSends) {
        remove.push(r);
        gaveUp.push(r);
        continue;
      }
      if (r.type === 'message') {
        const m = await load(r.messageId);
        if (!m) {
          remove.push(r); // the body is gone: nothing left to send
          continue;
        }
        this.#outbox.addMessage(r.peer, m);
      } else if (r.type === 'offer') {
        this.#outbox.addOffer(r.peer, r.messageId);
      } else {
        this.#outbox.addRequest(r.peer, r.messageId);
      }
      const sendCount = r.sendCount + 1;
      put.push({ ...r, sendCount, sendEpoch: Math.max(epoch + 1, this.#nextSendEpoch(sendCount, epoch)) });
    }
    await syncState.apply({ remove, put, epoch });
    if (gaveUp.length > 0) {
      const events: GiveUpEvent[] = [];
      for (const r of gaveUp) {
        const message = r.type === 'request' ? undefined : await load(r.messageId);
        events.push({ ...r, message });
      }
      await this.#dropUnreferenced(gaveUp.map((r) => r.messageId));
      for (const e of events) {
        this.stats.givenUp++;
        this.#emitSafe('give-up', e);
      }
    }
    await this.#flush();
  }

  async #flush(): Promise<void> {
    for (const { peer, payload } of this.#outbox.drain()) {
      for (const part of splitPayload(payload, this.#maxOutgoing, this.#maxRecords)) {
        const bytes = encodePayload(part);
        this.stats.payloadsSent++;
        this.stats.bytesSent += bytes.length;
        try {
          await this.#transport.send(peer, bytes);
        } catch (err) {
          this.#fail(err);
        }
      }
    }
  }

  async #onPayload(
    peer: Uint8Array,
    payload: MvdsPayload,
    accept?: (messages: readonly DeliveredMessage[]) => Promise<void>,
  ): Promise<ReceiveResult> {
    const { syncState, messages, delivered, groups } = this.#stores;
    const remove: RecordKey[] = [];
    const put: SyncRecord[] = [];
    const acked: Uint8Array[] = [];
    const next = this.#epoch + 1;

    // ACK: the peer holds the message, stop sending or offering it.
    for (const id of payload.acks) {
      const r = await syncState.get(peer, id);
      if (r && r.type !== 'request') {
        remove.push(r);
        acked.push(id);
      }
    }
    // REQUEST: answer with the message if the peer may have it (member of the message's group).
    for (const id of payload.requests) {
      const m = await messages.get(id);
      if (!m || !(await groups.has(m.groupId, peer))) continue;
      const r = await syncState.get(peer, id);
      if (r?.type === 'message') {
        if (r.sendEpoch > next) put.push({ ...r, sendEpoch: next });
      } else {
        put.push(this.#newRecord(peer, id, 'message', m.groupId));
      }
    }
    // OFFER: request what we lack; acknowledge what we hold (ACK means "I hold it", so the offerer stops).
    for (const id of payload.offers) {
      if (await delivered.has(id)) {
        this.#outbox.addAck(peer, id);
      } else if (!(await syncState.get(peer, id))) {
        put.push(this.#newRecord(peer, id, 'request'));
      }
    }
    // MESSAGE: ack every copy (acks are never retransmitted, so duplicates are acked again), deliver once.
    const ids = payload.messages.map(messageId);
    const fresh = accept ? await this.#unseen(ids) : ids.length > 0 ? await delivered.add(ids) : [];
    const deliveries: DeliveredMessage[] = [];
    const acks: Uint8Array[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const m = payload.messages[i]!;
      acks.push(id);
      remove.push({ peer, messageId: id });
      if (!fresh[i]) {
        this.stats.duplicates++;
        continue;
      }
      deliveries.push({ id, peer, groupId: m.groupId, timestamp: m.timestamp, body: m.body });
      if (this.#relay) {
        const others = (await groups.peers(m.groupId)).filter((p) => bytesToHex(p) !== bytesToHex(peer));
        if (others.length > 0) {
          await messages.put(id, m);
          for (const other of others) put.push(this.#newRecord(other, id, 'offer', m.groupId));
        }
      }
    }
    if (accept) {
      // The application stores the messages first; only then are they delivered and acknowledged.
      if (deliveries.length > 0) await accept(deliveries);
      if (deliveries.length > 0) await delivered.add(deliveries.map((d) => d.id));
    }
    for (const id of acks) this.#outbox.addAck(peer, id);
    await syncState.apply({ remove, put });
    await this.#dropUnreferenced(acked);
    for (const id of acked) this.#emitSafe('acked', { peer, messageId: id });
    for (const d of deliveries) {
      this.stats.delivered++;
      this.#emitSafe('message', d);
    }
    return { mvds: true, delivered: deliveries };
  }

  /** For each id, true when it was never delivered and is not repeated earlier in `ids`. */
  async #unseen(ids: readonly Uint8Array[]): Promise<boolean[]> {
    const seen = new Set<string>();
    const result: boolean[] = [];
    for (const id of ids) {
      const hex = bytesToHex(id);
      result.push(!seen.has(hex) && !(await this.#stores.delivered.has(id)));
      seen.add(hex);
    }
    return result;
  }

  /** Deletes message bodies no record refers to any more (acked by every peer, or given up). */
  async #dropUnreferenced(ids: readonly Uint8Array[]): Promise<void> {
    const unique = new Map(ids.map((id) => [bytesToHex(id), id]));
    const drop: Uint8Array[] = [];
    for (const id of unique.values()) {
      if ((await this.#stores.syncState.countForMessage(id)) === 0) drop.push(id);
    }
    if (drop.length > 0) await this.#stores.messages.delete(drop);
  }
}
