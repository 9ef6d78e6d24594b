import { bytesToHex, concatBytes, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approveGroupChatInvitation,
  decodeGroupChatInvitation,
  encodeGroupChatInvitation,
  type GroupChatInvitation,
  type GroupChatInvitationState,
  groupChatInvitationId,
  groupChatInvitationRequest,
  groupChatInvitationRequester,
  rejectGroupChatInvitation,
  validateGroupChatInvitation,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const NOW = 1_600_000_000_000;
const requester = getPublicKey(Uint8Array.from({ length: 32 }, () => 1));
const admin = getPublicKey(Uint8Array.from({ length: 32 }, () => 2));
const chatId = `7d1f2a4e-57cf-4c4e-a1f4-6f6c3ba5a1f1-0x${bytesToHex(admin)}`;

const request = groupChatInvitationRequest({ clock: NOW, chatId, introductionMessage: 'hi, may I join?' });
// group_chat_invitation.proto: clock = 1, chat_id = 2, introduction_message = 3, state = 4
// (UNKNOWN 0, REQUEST 1, REJECTED 2, APPROVED 3).
const requestWire = proto()
  .varint(1, NOW)
  .string(2, chatId)
  .string(3, 'hi, may I join?')
  .varint(4, 1)
  .finish();
const rejection = rejectGroupChatInvitation(request, NOW + 5);
const rejectionWire = proto()
  .varint(1, NOW + 5)
  .string(2, chatId)
  .string(3, 'hi, may I join?')
  .varint(4, 2)
  .finish();
const approval = approveGroupChatInvitation(request);
const approvalWire = proto()
  .varint(1, NOW)
  .string(2, chatId)
  .string(3, 'hi, may I join?')
  .varint(4, 3)
  .finish();

const states: GroupChatInvitationState[] = ['UNKNOWN', 'REQUEST', 'REJECTED', 'APPROVED'];
const invitations: fc.Arbitrary<GroupChatInvitation> = fc.record({
  clock: fc.maxSafeNat(),
  chatId: wireText({ minLength: 1, maxLength: 30 }),
  introductionMessage: wireText({ maxLength: 30 }),
  state: fc.constantFrom(...states),
});

describe('GroupChatInvitation', () => {
  it('encodes request, rejection and approval to the hand-built bytes and decodes them back', () => {
    expect(request).toEqual({ clock: NOW, chatId, introductionMessage: 'hi, may I join?', state: 'REQUEST' });
    expect(rejection).toEqual({ ...request, clock: NOW + 5, state: 'REJECTED' });
    expect(approval).toEqual({ ...request, state: 'APPROVED' });
    for (const [invitation, wire] of [
      [request, requestWire],
      [rejection, rejectionWire],
      [approval, approvalWire],
    ] as const) {
      expect(encodeGroupChatInvitation(invitation)).toEqual(wire);
      expect(decodeGroupChatInvitation(wire)).toEqual(invitation);
      expect(decodeGroupChatInvitation(concatBytes(wire, unknownFields()))).toEqual(invitation);
    }
  });

  it('decodes an unknown state number to UNKNOWN, which status-go still accepts', () => {
    const future = decodeGroupChatInvitation(proto().varint(1, NOW).string(2, chatId).varint(4, 17).finish());
    expect(future.state).toBe('UNKNOWN');
    expect(() => validateGroupChatInvitation(future)).not.toThrow();
  });

  it('validates as status-go: only a non-empty chat id, no clock rule', () => {
    expect(() => validateGroupChatInvitation(request)).not.toThrow();
    expect(() => validateGroupChatInvitation({ ...request, clock: 0 })).not.toThrow();
    expect(() => validateGroupChatInvitation({ ...request, clock: NOW * 2 })).not.toThrow();
    expect(() => validateGroupChatInvitation({ ...request, chatId: '' })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field: 'chatId' } }),
    );
    expect(() => encodeGroupChatInvitation({ ...request, chatId: '' })).toThrow(
      code('ERR_PAYLOAD_INVALID_FIELD'),
    );
    expect(() =>
      encodeGroupChatInvitation({ ...request, state: 'MAYBE' as GroupChatInvitationState }),
    ).toThrow(code('ERR_PAYLOAD_INVALID_ARGUMENT'));
  });

  it('keys the id on the requester: the signer of a request, ourselves for a received rejection', () => {
    const expected = `0x${bytesToHex(keccak256(utf8ToBytes(`0x${bytesToHex(requester)}${chatId}`)))}`;
    expect(groupChatInvitationId(requester, chatId)).toBe(expected);
    expect(groupChatInvitationId(convertPublicKey(requester, 'compressed'), chatId)).toBe(expected);
    // The admin receives the request from the requester...
    expect(groupChatInvitationRequester(request, requester, admin)).toBe(requester);
    // ...and the requester receives the rejection from the admin: the same invitation.
    expect(groupChatInvitationRequester(rejection, admin, requester)).toBe(requester);
    expect(groupChatInvitationId(groupChatInvitationRequester(rejection, admin, requester), chatId)).toBe(
      expected,
    );
  });

  it('round-trips any valid invitation', () => {
    assertRoundTrips(invitations, encodeGroupChatInvitation, decodeGroupChatInvitation);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(invitations, encodeGroupChatInvitation, decodeGroupChatInvitation);
  });
});
