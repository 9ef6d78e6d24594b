import { MAX_WRAPPED_MESSAGE_BYTES } from '@status-ts/payloads';

/**
 * What the message store accepts, checked before anything is written (ERR_CLIENT_STORE_LIMIT beyond them).
 * The byte bounds follow the transport: nothing a default Waku node delivers, nor anything the client can
 * send, is larger, so a larger value is a bug or an attack, never a message.
 */
export const MESSAGE_STORE_LIMITS = Object.freeze({
  /** Messages per `messages()` page and per `messagesInDeliveryState()` call. */
  maxPageSize: 500,
  /** Records per `saveMessages` / `saveReactions` batch and topics per history call. */
  maxBatchSize: 1_000,
  /** Bytes of a raw ApplicationMetadataMessage, an image or audio payload, or one membership event. */
  maxBytes: MAX_WRAPPED_MESSAGE_BYTES,
  /** UTF-16 units of a message text (the protocol allows 4096 code points; room for older clients). */
  maxTextLength: 65_536,
  /** UTF-16 units of a contact's profile image (a data URI of an image up to `maxBytes`, base64). */
  maxProfileImageLength: 2 * MAX_WRAPPED_MESSAGE_BYTES,
  /** UTF-16 units of an id, a name or a type name (chat ids, installation ids, ENS names, nicknames). */
  maxNameLength: 512,
  /** Membership events stored per group chat. */
  maxMembershipEvents: 10_000,
});
