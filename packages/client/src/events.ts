import type { MailserverMisbehavedEvent } from '@status-ts/mailserver';
import type { ChatMessageContent, ContentType } from '@status-ts/payloads';

/** Kinds of chats a node takes part in. */
export type ChatKind = 'public' | 'one-to-one' | 'group';

/** A chat message as the node delivers it to the app (received, or sent by us). */
export interface StatusMessage {
  /** Status message id: `0x` + Keccak-256(author key ‖ wrapper), the same on every device. */
  readonly id: string;
  readonly chatId: string;
  readonly chatKind: ChatKind;
  /** `0x04…` key of the author. */
  readonly author: string;
  /** The author's three-word name. */
  readonly authorName: string;
  readonly clock: number;
  readonly timestamp: number;
  readonly text: string;
  readonly responseTo: string;
  readonly ensName: string;
  readonly contentType: ContentType;
  readonly content?: ChatMessageContent | undefined;
  /** True for messages this node sent. */
  readonly outgoing: boolean;
  /**
   * How a received private message was protected by secure transport: `ratchet` (forward secret), `dh` (a
   * DH header: first contact, no session yet) or `public` (not encrypted by that layer).
   */
  readonly protection?: 'ratchet' | 'dh' | 'public';
  /** Hash of the Waku envelope that carried it (`0x…`), when it came over Waku. */
  readonly envelopeHash?: string;
  /** True when that envelope came from a mailserver's history, not relayed live. */
  readonly fromHistory?: boolean;
}

import type { PageEvent } from '@status-ts/mailserver';
import type { OwnInstallation } from './devices.js';
import type { HistoryResult } from './history.js';
import type { StatusReaction } from './reactions.js';
import type { DeliveryState, StoredContact } from './store/types.js';

/**
 * Where one of our 1:1 messages is: handed to MVDS (`sending`), posted in an envelope (`sent`), confirmed
 * by a Waku peer with confirmations (`confirmed`), acknowledged by the recipient's MVDS (`acknowledged`),
 * or given up after MVDS's retries (`failed`). The store keeps it.
 */
export type { DeliveryState };

/** A payload the node dropped (bad signature, invalid message, clock too far ahead…), for diagnostics. */
export interface DroppedPayload {
  readonly reason: string;
  readonly error: unknown;
  readonly envelopeHash: string;
}

/** What the history fetches running have brought so far (`history:progress`). */
export interface HistoryProgress {
  readonly pages: number;
  readonly envelopes: number;
  /** Chat messages delivered from history envelopes (copies already held are not counted). */
  readonly messages: number;
}

/** Events of a StatusNode. */
export interface StatusNodeEvents {
  /** A chat message, received or sent by us, once per message id. */
  message: [StatusMessage];
  /** An emoji reaction (or its retraction), received or ours, once per reaction version. */
  reaction: [StatusReaction];
  /**
   * A contact's update (ENS name, profile image) was applied (it was newer than what we had), or a contact
   * synced from another device of ours.
   */
  contact: [StoredContact];
  /** A group chat we know changed (created, joined, renamed, members in or out). */
  group: [
    {
      readonly chatId: string;
      readonly name: string;
      readonly members: readonly string[];
      readonly admins: readonly string[];
      readonly joined: readonly string[];
    },
  ];
  /** A page of history arrived from a mailserver (progress). */
  'history:page': [PageEvent];
  /**
   * Progress of the history fetches running (counted from the first of them to start): pages and envelopes
   * received, and the chat messages those envelopes carried, delivered so far. For a progress bar.
   */
  'history:progress': [HistoryProgress];
  /** A history fetch the node started by itself (`historyFrom`, or the PeerPool's mailserver) finished, or failed. */
  'history:done': [HistoryResult];
  'history:error': [unknown];
  /**
   * A mailserver sent more than the history client allows (envelopes outside a request or beyond its limit,
   * bytes above the rate) too often: it is no longer trusted, it is disconnected and not asked again; the
   * PeerPool selects another.
   */
  'mailserver:misbehaved': [MailserverMisbehavedEvent];
  /** One of our installations (devices) appeared, or its name, type or enabled flag changed. */
  installation: [OwnInstallation];
  /**
   * Sending to our other devices failed where the node did it by itself (a public chat joined, a contact
   * added, the copy of a 1:1 message we sent).
   */
  'sync:error': [unknown];
  /** One of our 1:1 messages changed delivery state. */
  delivery: [{ readonly id: string; readonly state: DeliveryState }];
  dropped: [DroppedPayload];
  /** A contact's contact-code advertisement arrived (its bundle is now known to secure transport). */
  'contact:code': [{ readonly contact: string }];
  /** Publishing our contact code or resending our profile failed (the node tries again later). */
  'announce:error': [unknown];
  /** The PeerPool selected a mailserver (its node id, hex), or lost the one it had (undefined). */
  mailserver: [string | undefined];
  /** A discovery part failed and the node runs on without it (e.g. rendezvous without the libp2p stack). */
  'discovery:error': [{ readonly part: string; readonly error: unknown }];
  /** The message store refused a write (the message was still delivered to listeners). */
  'store:error': [unknown];
}
