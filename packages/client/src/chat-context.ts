import type { Clock } from '@status-ts/core';
import type { ChatMessage, MessageSigner } from '@status-ts/payloads';
import type { ChatKind, StatusMessage } from './events.js';
import type { NodeIdentity } from './identity.js';
import type { StatusReaction } from './reactions.js';

/** What every kind of chat (public, 1:1, group) needs from the node: who we are and where messages go. */
export interface ChatContext {
  readonly identity: NodeIdentity;
  readonly signer: MessageSigner;
  readonly clock: Clock;
  /** Builds the app-facing message (names). */
  toStatusMessage(
    message: ChatMessage,
    id: string,
    author: string,
    outgoing: boolean,
    chatKind: ChatKind,
  ): StatusMessage;
  /** Hands a message to the app and the store once per id; `raw` is the wrapper as sent or received. */
  deliver(message: StatusMessage, raw: Uint8Array): void;
  deliverReaction(reaction: StatusReaction): void;
  drop(reason: string, error: unknown, envelopeHash: string): void;
}
