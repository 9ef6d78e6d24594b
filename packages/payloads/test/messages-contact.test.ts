import { concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_APPLICATION_PAYLOAD_BYTES } from '../src/limits.js';
import { type ContactUpdate, decodeContactUpdate, encodeContactUpdate } from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const update: ContactUpdate = {
  clock: 1_600_000_000_123,
  ensName: 'alice.stateofus.eth',
  profileImage: 'data:image/png;base64,iVBORw0KGgo=',
};
// contact.proto: clock = 1 (uint64), ens_name = 2, profile_image = 3.
const wire = proto()
  .varint(1, update.clock)
  .string(2, update.ensName)
  .string(3, update.profileImage)
  .finish();

const updates: fc.Arbitrary<ContactUpdate> = fc.record({
  clock: fc.maxSafeNat(),
  ensName: wireText({ maxLength: 20 }),
  profileImage: fc.string({ maxLength: 40 }),
});

describe('ContactUpdate', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeContactUpdate(update)).toEqual(wire);
    expect(decodeContactUpdate(wire)).toEqual(update);
  });

  it('omits proto3 defaults: an all-default update is empty', () => {
    const empty = { clock: 0, ensName: '', profileImage: '' };
    expect(encodeContactUpdate(empty)).toEqual(new Uint8Array());
    expect(decodeContactUpdate(new Uint8Array())).toEqual(empty);
  });

  it('skips unknown fields and reads fields in any order', () => {
    expect(decodeContactUpdate(concatBytes(wire, unknownFields()))).toEqual(update);
    const reordered = proto()
      .string(3, update.profileImage)
      .varint(1, update.clock)
      .string(2, update.ensName);
    expect(decodeContactUpdate(reordered.finish())).toEqual(update);
  });

  it('refuses a clock above 2^53 - 1 on decode and a non-integer one on encode', () => {
    expect(() =>
      decodeContactUpdate(
        proto()
          .varint(1, 2n ** 53n)
          .finish(),
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD' }));
    expect(() => encodeContactUpdate({ ...update, clock: 1.5 })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_ARGUMENT' }),
    );
    expect(() => encodeContactUpdate({ ...update, clock: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_ARGUMENT' }),
    );
  });

  it('refuses a string with a lone surrogate (it has no UTF-8 form)', () => {
    expect(() => encodeContactUpdate({ ...update, ensName: 'a\uD800b' })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_ARGUMENT' }),
    );
  });

  it('decodes up to maxBytes (default MAX_APPLICATION_PAYLOAD_BYTES) and refuses more', () => {
    const big = proto()
      .string(3, 'x'.repeat(MAX_APPLICATION_PAYLOAD_BYTES - 4))
      .finish();
    expect(big.length).toBe(MAX_APPLICATION_PAYLOAD_BYTES);
    expect(decodeContactUpdate(big).profileImage.length).toBe(MAX_APPLICATION_PAYLOAD_BYTES - 4);
    const tooBig = proto()
      .string(3, 'x'.repeat(MAX_APPLICATION_PAYLOAD_BYTES - 3))
      .finish();
    expect(() => decodeContactUpdate(tooBig)).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_TOO_LARGE' }),
    );
    expect(() => decodeContactUpdate(wire, { maxBytes: wire.length - 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_TOO_LARGE' }),
    );
    expect(decodeContactUpdate(wire, { maxBytes: wire.length })).toEqual(update);
    for (const maxBytes of [Number.NaN, -1, 1.5]) {
      expect(() => decodeContactUpdate(wire, { maxBytes })).toThrow(
        expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_ARGUMENT' }),
      );
    }
  });

  it('refuses to build an update larger than MAX_APPLICATION_PAYLOAD_BYTES', () => {
    const image = 'x'.repeat(MAX_APPLICATION_PAYLOAD_BYTES);
    expect(() => encodeContactUpdate({ ...update, profileImage: image })).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_TOO_LARGE' }),
    );
  });

  it('round-trips any update', () => {
    assertRoundTrips(updates, encodeContactUpdate, decodeContactUpdate);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(updates, encodeContactUpdate, decodeContactUpdate);
  });
});
