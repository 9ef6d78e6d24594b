import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type Bundle,
  decodeProtocolMessage,
  encodeProtocolMessage,
  type ProtocolMessageInit,
  ProtocolMessageSchema,
  SecureTransport,
  SecureTransportErrorCode,
} from '../src/index.js';

// Older clients (status-go before `bundles`, field 3) attach their bundle as `ProtocolMessage.bundle`,
// field 1 (status-protocol-go encryption/protocol_message.proto, 2019: `Bundle bundle = 1`).

const NOW = 1_700_000_000_000;
const now = () => NOW;

function transport(identityKey: Uint8Array, installationId: string): SecureTransport {
  return new SecureTransport({ identityKey, installationId, now });
}

/** What an older client sends: the same message with its bundle moved from `bundles` to field 1. */
function asLegacy(bytes: Uint8Array): Uint8Array {
  const message = fromBinary(ProtocolMessageSchema, bytes);
  expect(message.bundles).toHaveLength(1);
  return toBinary(
    ProtocolMessageSchema,
    create(ProtocolMessageSchema, { ...message, bundle: message.bundles[0], bundles: [] }),
  );
}

/** Top-level field numbers present in an encoded message (every field we write is length-delimited). */
function topLevelFields(bytes: Uint8Array): number[] {
  const fields: number[] = [];
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    expect(tag & 7).toBe(2);
    fields.push(Math.floor(tag / 8));
    const length = varint();
    i += length;
  }
  return fields;
}

const withoutLastSeen = (devices: { lastSeen: number }[]) => devices.map(({ lastSeen: _, ...d }) => d);

describe('deprecated ProtocolMessage.bundle (field 1) from older clients', () => {
  it('a DH message carrying only field 1 teaches us the sender devices exactly as `bundles` does', async () => {
    const aliceKey = generatePrivateKey();
    const alice = transport(aliceKey, 'a1');
    const bobKey = generatePrivateKey();
    const bobNew = transport(bobKey, 'b1');
    const bobOld = transport(bobKey, 'b1');
    const bytes = await alice.encrypt(bobNew.identity, utf8ToBytes('hi'));

    await bobNew.decrypt(alice.identity, bytes);
    await bobOld.decrypt(alice.identity, asLegacy(bytes));

    const learned = await bobOld.installations(alice.identity);
    expect(learned.map((d) => d.id)).toEqual(['a1']);
    expect(learned[0]!.signedPreKey).toBeDefined();
    expect(withoutLastSeen(learned)).toEqual(withoutLastSeen(await bobNew.installations(alice.identity)));
    // With the device known, the reply starts an X3DH session to a1 instead of another DH message.
    const reply = decodeProtocolMessage(await bobOld.encrypt(alice.identity, utf8ToBytes('ok')));
    expect(Object.keys(reply.directMessage)).toEqual(['a1']);
    expect(reply.directMessage.a1!.X3DHHeader).toBeDefined();
  });

  it('a public message carrying only field 1 teaches us the sender devices', async () => {
    const alice = transport(generatePrivateKey(), 'a1');
    const bob = transport(generatePrivateKey(), 'b1');
    const got = await bob.decrypt(alice.identity, asLegacy(await alice.buildPublicMessage(utf8ToBytes('p'))));
    expect(got.kind).toBe('public');
    expect((await bob.installations(alice.identity)).map((d) => d.id)).toEqual(['a1']);
  });

  it('with both fields present, `bundles` wins and field 1 is ignored', async () => {
    const aliceKey = generatePrivateKey();
    const alice = transport(aliceKey, 'a1');
    // Another bundle of the same identity: a different prekey for a1 and an extra device a2.
    const stale = transport(aliceKey, 'a1');
    await stale.addBundle(await transport(aliceKey, 'a2').bundle());
    await stale.setInstallationEnabled(stale.identity, 'a2', true);
    const staleBundle: Bundle = await stale.bundle();
    expect(Object.keys(staleBundle.signedPreKeys).sort()).toEqual(['a1', 'a2']);

    const bob = transport(generatePrivateKey(), 'b1');
    const message = fromBinary(ProtocolMessageSchema, await alice.buildPublicMessage(utf8ToBytes('p')));
    const current = message.bundles[0]!;
    const both = toBinary(
      ProtocolMessageSchema,
      create(ProtocolMessageSchema, { ...message, bundle: staleBundle }),
    );
    await bob.decrypt(alice.identity, both);

    const learned = await bob.installations(alice.identity);
    expect(learned.map((d) => d.id)).toEqual(['a1']);
    expect(learned[0]!.signedPreKey).toEqual(current.signedPreKeys.a1!.signedPreKey);
  });

  it('a malformed field-1 bundle is refused by the decoder like a malformed `bundles` entry', () => {
    const bytes = toBinary(
      ProtocolMessageSchema,
      create(ProtocolMessageSchema, { installationId: 'a1', bundle: { identity: new Uint8Array(5) } }),
    );
    expect(() => decodeProtocolMessage(bytes)).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.BadMessage }),
    );
  });

  it('we never write field 1: only `bundles` (field 3) carries our bundle', async () => {
    const alice = transport(generatePrivateKey(), 'a1');
    const bob = transport(generatePrivateKey(), 'b1');
    const dh = await alice.encrypt(bob.identity, utf8ToBytes('dh'));
    await bob.decrypt(alice.identity, dh);
    const ratchet = await bob.encrypt(alice.identity, utf8ToBytes('ratchet'));
    const failed = await alice
      .decrypt(bob.identity, new Uint8Array([0x12, 0x02, 0x78, 0x78]))
      .catch((e) => e);
    const reply = await alice.bundleReply(bob.identity, failed);
    const advert = await alice.contactCodeAdvertisement(new Uint8Array(0));
    const sent = [dh, ratchet, await alice.buildPublicMessage(utf8ToBytes('p')), reply!, advert!.bytes];
    for (const bytes of sent) {
      expect(topLevelFields(bytes)).not.toContain(1);
      expect(topLevelFields(bytes)).toContain(3);
      expect(decodeProtocolMessage(bytes).bundle).toBe(undefined);
    }
    // Nor does the public encoder, even when handed one.
    const init = { installationId: 'a1', bundle: await alice.bundle() } as ProtocolMessageInit;
    expect(topLevelFields(encodeProtocolMessage(init))).not.toContain(1);
  });
});
