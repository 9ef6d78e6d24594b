import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { PAYLOAD_SIGNATURE_LENGTH, recoverKeccakSigner, signKeccak } from '../signature.js';
import {
  decodeMembershipEvent,
  encodeMembershipEvent,
  type MembershipEvent,
  type MembershipEventType,
} from './events.js';
import { type GroupMemberId, recoveredMemberId } from './keys.js';
import { MAX_GROUP_CHAT_ID_LENGTH } from './limits.js';

/**
 * A membership event with its author proven: one entry of MembershipUpdateMessage.events. The byte
 * fields are the bytes as signed or received (never re-encoded: a re-encoding could differ and break the
 * signature); treat them as read-only.
 */
export interface SignedMembershipEvent extends MembershipEvent {
  /** The chat id the signature covers. */
  readonly chatId: string;
  /** The author: the key recovered from the signature, `0x04…` lowercase. */
  readonly from: GroupMemberId;
  /** 65-byte `r‖s‖v` over Keccak-256(UTF-8 chat id ‖ encodedEvent). */
  readonly signature: Uint8Array;
  /** The MembershipUpdateEvent protobuf bytes. */
  readonly encodedEvent: Uint8Array;
  /** The wire entry: `signature ‖ encodedEvent`. */
  readonly bytes: Uint8Array;
}

// Objects made by sign/verify below. A SignedMembershipEvent from anywhere else (hand-built, cloned,
// read back from storage) is re-verified from its bytes before group state trusts its `from`.
const verified = new WeakSet<SignedMembershipEvent>();

function assertChatId(chatId: string): void {
  if (chatId.length > MAX_GROUP_CHAT_ID_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `chat id of ${chatId.length} characters exceeds the limit of ${MAX_GROUP_CHAT_ID_LENGTH}`,
      { details: { size: chatId.length, limit: MAX_GROUP_CHAT_ID_LENGTH } },
    );
  }
}

function signedEvent(
  chatId: string,
  event: MembershipEvent,
  from: GroupMemberId,
  bytes: Uint8Array,
): SignedMembershipEvent {
  const signed: SignedMembershipEvent = Object.freeze({
    type: event.type as MembershipEventType,
    clock: event.clock,
    members: Object.isFrozen(event.members) ? event.members : Object.freeze([...event.members]),
    name: event.name,
    chatId,
    from,
    signature: bytes.subarray(0, PAYLOAD_SIGNATURE_LENGTH),
    encodedEvent: bytes.subarray(PAYLOAD_SIGNATURE_LENGTH),
    bytes,
  });
  verified.add(signed);
  return signed;
}

/**
 * Encodes `event` (refusing what status-go would reject, see assertBuildableMembershipEvent) and signs it
 * for `chatId` with `privateKey`: sign(Keccak-256(UTF-8 chat id ‖ encoded event)), as status-go's
 * MembershipUpdateEvent.Sign. ERR_PAYLOAD_INVALID_ARGUMENT for an empty chat id (status-go refuses to
 * sign one) or a bad private key.
 */
export function signMembershipEvent(
  chatId: string,
  event: MembershipEvent,
  privateKey: Uint8Array,
): SignedMembershipEvent {
  if (chatId.length === 0) {
    throw new PayloadError(
      PayloadErrorCode.InvalidArgument,
      "can't sign a membership event for an empty chat id",
    );
  }
  assertChatId(chatId);
  const encodedEvent = encodeMembershipEvent(event);
  const signature = signKeccak(privateKey, concatBytes(utf8ToBytes(chatId), encodedEvent));
  const from = recoveredMemberId(getPublicKey(privateKey, 'uncompressed'));
  return signedEvent(chatId, event, from, concatBytes(signature, encodedEvent));
}

/**
 * Verifies one wire entry (`signature ‖ encoded event`) of a MembershipUpdateMessage for `chatId` and
 * returns the event with its recovered author. Throws ERR_PAYLOAD_MALFORMED (65 bytes or fewer, as
 * status-go's "invalid payload length", or an undecodable event), ERR_PAYLOAD_BAD_SIGNATURE (no key
 * recovers), ERR_PAYLOAD_TOO_LARGE / ERR_PAYLOAD_INVALID_FIELD (limits, see decodeMembershipEvent).
 * Whether the author may make this change is decided by group state, not here.
 */
export function verifyMembershipEvent(chatId: string, bytes: Uint8Array): SignedMembershipEvent {
  assertChatId(chatId);
  if (bytes.length <= PAYLOAD_SIGNATURE_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.Malformed,
      `membership event entry of ${bytes.length} bytes: needs a ${PAYLOAD_SIGNATURE_LENGTH}-byte signature and an event`,
      { details: { size: bytes.length } },
    );
  }
  // Our own copy: the caller may reuse its buffer, and the event must keep the bytes it was verified with.
  const own = bytes.slice();
  const encodedEvent = own.subarray(PAYLOAD_SIGNATURE_LENGTH);
  // Decoding first: it is cheap and refuses garbage before the costly key recovery.
  const event = decodeMembershipEvent(encodedEvent);
  const key = recoverKeccakSigner(
    own.subarray(0, PAYLOAD_SIGNATURE_LENGTH),
    concatBytes(utf8ToBytes(chatId), encodedEvent),
  );
  return signedEvent(chatId, event, recoveredMemberId(key), own);
}

/**
 * `entry` as a verified event: raw bytes are verified for `chatId`; an event object we did not verify
 * ourselves is re-verified from its own bytes and chat id (its other fields are ignored).
 */
export function toVerifiedMembershipEvent(
  chatId: string,
  entry: SignedMembershipEvent | Uint8Array,
): SignedMembershipEvent {
  if (entry instanceof Uint8Array) return verifyMembershipEvent(chatId, entry);
  if (verified.has(entry)) return entry;
  if (typeof entry?.chatId !== 'string' || !(entry.bytes instanceof Uint8Array)) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'not a signed membership event', {});
  }
  return verifyMembershipEvent(entry.chatId, entry.bytes);
}
