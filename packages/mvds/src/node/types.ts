import type { Clock, Logger } from '@status-ts/core';
import type { NextSendEpoch } from '../backoff.js';
import type { MvdsError } from '../errors.js';
import type { MvdsMessage } from '../message.js';
import type { MvdsStores, RecordType } from '../stores/types.js';
import type { MvdsTransport } from '../transport.js';

/** `batch`: MESSAGE -> ACK. `interactive`: OFFER -> REQUEST -> MESSAGE -> ACK (less bandwidth, more latency). */
export type SyncMode = 'batch' | 'interactive';

export interface MvdsNodeOptions {
  readonly transport: MvdsTransport;
  /** Persistent state (default: fresh in-memory stores). */
  readonly stores?: MvdsStores;
  /** Drives epochs and message timestamps (default: the system clock). */
  readonly clock?: Clock;
  /** How `send` shares messages unless told otherwise (default `batch`, as Status). */
  readonly mode?: SyncMode;
  /** Epoch length in ms (default 300, status-go's ticker). */
  readonly epochMs?: number;
  /** Retransmission schedule (default `statusBackoff({ epochMs })`). */
  readonly nextSendEpoch?: NextSendEpoch;
  /** Sends of a record before `give-up` (default `DEFAULT_MAX_SENDS` = 14; `Infinity` never gives up). */
  readonly maxSends?: number;
  /** Offer messages received in a group to the group's other peers, as vacp2p/mvds does (default false). */
  readonly relay?: boolean;
  /** Largest incoming payload, checked before decoding (default `MAX_PAYLOAD_SIZE`). */
  readonly maxPayloadSize?: number;
  /** Largest outgoing payload (default: the transport's `maxPayloadSize`, else `MAX_PAYLOAD_SIZE`). */
  readonly maxOutgoingPayloadSize?: number;
  /** Most records per payload, in and out (default `MAX_PAYLOAD_RECORDS`). */
  readonly maxRecordsPerPayload?: number;
  /** Most due records handled in one epoch; the rest wait for the next (default `MAX_DUE_PER_EPOCH`). */
  readonly maxDuePerEpoch?: number;
  readonly logger?: Logger;
}

export interface SendOptions {
  /** Overrides the node's mode for this message (a node may mix both). */
  readonly mode?: SyncMode;
}

/** A message handed to the application, exactly once per message id. */
export interface DeliveredMessage extends MvdsMessage {
  readonly id: Uint8Array;
  /** The peer it came from. */
  readonly peer: Uint8Array;
}

/** A record was sent `maxSends` times without an answer; the node stopped retrying it. */
export interface GiveUpEvent {
  readonly peer: Uint8Array;
  readonly messageId: Uint8Array;
  readonly type: RecordType;
  readonly groupId: Uint8Array | undefined;
  readonly sendCount: number;
  /** The message, when this node had it (offers and messages): the application may send it again. */
  readonly message: MvdsMessage | undefined;
}

/** One of our messages a peer has not acknowledged (`MvdsNode.outgoing()`). */
export interface OutgoingMessage {
  readonly peer: Uint8Array;
  readonly id: Uint8Array;
  readonly groupId: Uint8Array;
  readonly body: Uint8Array;
}

export interface MvdsNodeEvents {
  message: [DeliveredMessage];
  /** A peer acknowledged one of the messages we were sending (or offering) to it. */
  acked: [{ peer: Uint8Array; messageId: Uint8Array }];
  'give-up': [GiveUpEvent];
  /** Bytes from a peer that are not a valid MVDS payload (dropped). */
  'payload:invalid': [{ peer: Uint8Array; error: MvdsError }];
  /** A store, transport or handler failure inside the epoch loop (the node keeps running). */
  error: [unknown];
}

export type ReceiveResult =
  | { readonly mvds: true; readonly delivered: readonly DeliveredMessage[] }
  | { readonly mvds: false; readonly error?: MvdsError };

export interface MvdsNodeStats {
  epochs: number;
  payloadsSent: number;
  bytesSent: number;
  payloadsReceived: number;
  invalidPayloads: number;
  /** Messages handed to the application. */
  delivered: number;
  /** Copies of already delivered messages (acked again, not delivered). */
  duplicates: number;
  givenUp: number;
}
