import { create } from '@bufbuild/protobuf';
import { checkText } from '../go-text.js';
import { ContactUpdateSchema } from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import { decodeMessage, encodeMessage, type MessageDecodeOptions } from './codec.js';

/**
 * CONTACT_UPDATE: the sender's profile as its contacts see it. status-go v0.62.0 has no receive-side
 * validator for it: the receiver applies it only when `clock` is above the contact's last update (so a
 * clock of 0 is a no-op, not an error), and only to the contact that signed it.
 */
export interface ContactUpdate {
  /** Lamport clock; the receiver keeps the update with the highest one. */
  readonly clock: number;
  /** ENS name the sender claims (verified separately by the receiver), or ''. */
  readonly ensName: string;
  /** Profile picture as status-go sends it (a data URI), or ''. */
  readonly profileImage: string;
}

/** Serializes a ContactUpdate (ERR_PAYLOAD_INVALID_ARGUMENT for a clock that is not a uint64). */
export function encodeContactUpdate(update: ContactUpdate): Uint8Array {
  checkText(update.ensName, 'ensName');
  checkText(update.profileImage, 'profileImage');
  return encodeMessage(
    ContactUpdateSchema,
    create(ContactUpdateSchema, {
      clock: numberToUint64(update.clock, 'clock'),
      ensName: update.ensName,
      profileImage: update.profileImage,
    }),
  );
}

/** Parses a ContactUpdate; unknown fields are skipped. */
export function decodeContactUpdate(bytes: Uint8Array, options?: MessageDecodeOptions): ContactUpdate {
  const message = decodeMessage(ContactUpdateSchema, bytes, options);
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    ensName: message.ensName,
    profileImage: message.profileImage,
  };
}
