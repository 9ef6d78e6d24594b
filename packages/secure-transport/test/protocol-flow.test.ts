import { bytesToUtf8, equalBytes, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_REFRESH_INTERVAL_MS,
  BUNDLE_REPLY_INTERVAL_MS,
  CONTACT_CODE_INTERVAL_MS,
  contactCodeTopic,
  DISCOVERY_TOPIC_NAME,
  decodeProtocolMessage,
  NO_INSTALLATION_ID,
  negotiatedTopic,
  partitionedTopic,
  SecureTransport,
  SecureTransportError,
  SecureTransportErrorCode,
  topicFromName,
} from '../src/index.js';

const text = utf8ToBytes;

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function device(identityKey: Uint8Array, installationId: string, now: () => number): SecureTransport {
  return new SecureTransport({ identityKey, installationId, now });
}

describe('ST-14 topic flow: partitioned first, negotiated once every device has answered', () => {
  it('switches to the negotiated topic after hearing from all the peer devices, and back for a new device', async () => {
    const c = clock();
    const aliceKey = generatePrivateKey();
    const bobKey = generatePrivateKey();
    const alice = device(aliceKey, 'a1', c.now);
    const [b1, b2] = [device(bobKey, 'b1', c.now), device(bobKey, 'b2', c.now)];

    // First contact: nothing known, DH message on Bob's partitioned topic.
    const first = await alice.encryptMessage(b1.identity, text('hi'));
    expect(first.installationIds).toEqual([]);
    expect(first.topic).toEqual({ kind: 'partitioned', topic: partitionedTopic(b1.identity) });

    await alice.addBundle(await b1.bundle());
    await alice.addBundle(await b2.bundle());
    const second = await alice.encryptMessage(b1.identity, text('x3dh'));
    expect([...second.installationIds].sort()).toEqual(['b1', 'b2']);
    expect(second.topic.kind).toBe('partitioned');

    // Bob's b1 answers: not enough, b2 has not.
    await b1.decrypt(alice.identity, second.bytes);
    await alice.decrypt(bob(b1), await b1.encrypt(alice.identity, text('from b1')));
    expect((await alice.encryptMessage(b1.identity, text('.'))).topic.kind).toBe('partitioned');
    // b2 answers too: every device it encrypts to knows the secret -> negotiated topic and key.
    await b2.decrypt(alice.identity, second.bytes).catch(() => undefined);
    await alice.decrypt(bob(b2), await b2.encrypt(alice.identity, text('from b2')));
    const agreed = await alice.encryptMessage(b1.identity, text('negotiated'));
    const expected = negotiatedTopic(aliceKey, b1.identity);
    expect(agreed.topic).toEqual({
      kind: 'negotiated',
      topic: expected.topic,
      symmetricKey: expected.symmetricKey,
    });
    // Both ends derive the same negotiated topic and key, and listen on it.
    const bobTopics = await b1.listeningTopics();
    const onBob = bobTopics.negotiated.find((t) => equalBytes(t.peer, alice.identity))!;
    expect(onBob.topic).toEqual(expected.topic);
    expect(onBob.symmetricKey).toEqual(expected.symmetricKey);
    expect(bobTopics.asymmetric.map((t) => t.topic)).toEqual([
      partitionedTopic(b1.identity),
      topicFromName(DISCOVERY_TOPIC_NAME),
    ]);

    // A third Bob device appears: until it answers, messages go back to the partitioned topic.
    const b3 = device(bobKey, 'b3', c.now);
    c.advance(1);
    await alice.addBundle(await b3.bundle());
    const withNew = await alice.encryptMessage(b1.identity, text('new device'));
    expect(withNew.installationIds).toContain('b3');
    expect(withNew.topic.kind).toBe('partitioned');
  });

  it('a device of a protocol-0 client forces the legacy discovery topic', async () => {
    const c = clock();
    const alice = device(generatePrivateKey(), 'a1', c.now);
    const bobKey = generatePrivateKey();
    const b1 = device(bobKey, 'b1', c.now);
    const legacy = await b1.bundle();
    legacy.signedPreKeys.b1!.protocolVersion = 0;
    const { signBundle } = await import('../src/index.js');
    await alice.addBundle(signBundle(legacy, bobKey));
    const out = await alice.encryptMessage(b1.identity, text('old client'));
    expect(out.topic).toEqual({ kind: 'discovery', topic: topicFromName(DISCOVERY_TOPIC_NAME) });
  });
});

function bob(t: SecureTransport): Uint8Array {
  return t.identity;
}

describe('ST-12 answering a failed decrypt with our bundle', () => {
  it('a message not for this device gets an empty DH message with our bundle, rate limited per peer', async () => {
    const c = clock();
    const alice = device(generatePrivateKey(), 'a1', c.now);
    const bobKey = generatePrivateKey();
    const [b1, b2] = [device(bobKey, 'b1', c.now), device(bobKey, 'b2', c.now)];
    await alice.addBundle(await b1.bundle()); // Alice does not know b2 yet
    const bytes = await alice.encrypt(b1.identity, text('only for b1'));
    const error = await b2.decrypt(alice.identity, bytes).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: SecureTransportErrorCode.NotForThisDevice });

    const reply = await b2.bundleReply(alice.identity, error);
    expect(reply).toBeInstanceOf(Uint8Array);
    const decoded = decodeProtocolMessage(reply!);
    expect(Object.keys(decoded.directMessage)).toEqual([NO_INSTALLATION_ID]);
    expect(Object.keys(decoded.bundles[0]!.signedPreKeys)).toEqual(['b2']);
    const got = await alice.decrypt(b2.identity, reply!);
    expect(got).toMatchObject({ kind: 'dh', installationId: 'b2' });
    expect(got.payload).toEqual(new Uint8Array(0));
    // Alice learned b2 from the reply: her next message reaches it.
    const next = await alice.encrypt(b1.identity, text('now for both'));
    expect(bytesToUtf8((await b2.decrypt(alice.identity, next)).payload)).toBe('now for both');

    // At most one reply per peer per BUNDLE_REPLY_INTERVAL_MS.
    expect(await b2.bundleReply(alice.identity, error)).toBe(undefined);
    c.advance(BUNDLE_REPLY_INTERVAL_MS);
    expect(await b2.bundleReply(alice.identity, error)).toBeInstanceOf(Uint8Array);
  });

  it('no reply to malformed input, to non-typed errors, or to our own identity', async () => {
    const c = clock();
    const key = generatePrivateKey();
    const a1 = device(key, 'a1', c.now);
    const other = generatePrivateKey();
    const peer = device(other, 'p1', c.now);
    const garbage = await a1.decrypt(peer.identity, Uint8Array.of(0xff, 0xff)).catch((e: unknown) => e);
    expect(garbage).toBeInstanceOf(SecureTransportError);
    expect(await a1.bundleReply(peer.identity, garbage)).toBe(undefined);
    expect(await a1.bundleReply(peer.identity, new Error('x'))).toBe(undefined);
    const notForUs = new SecureTransportError(SecureTransportErrorCode.NotForThisDevice, 'x');
    expect(await a1.bundleReply(a1.identity, notForUs)).toBe(undefined);
  });
});

describe('ST-03 bundles: contact-code advertisement, public messages, prekey rotation', () => {
  it('advertises the contact code with our bundle when due (every 6 h) on the contact-code topic', async () => {
    const c = clock();
    const alice = device(generatePrivateKey(), 'a1', c.now);
    const wrapped = text('signed ApplicationMetadataMessage of type 15');
    const ad = await alice.contactCodeAdvertisement(wrapped);
    expect(ad!.topic).toEqual(contactCodeTopic(alice.identity));
    const decoded = decodeProtocolMessage(ad!.bytes);
    expect(decoded.publicMessage).toEqual(wrapped);
    expect(decoded.bundles).toHaveLength(1);
    expect(decoded.installationId).toBe('a1');
    expect(await alice.contactCodeAdvertisement(wrapped)).toBe(undefined);
    c.advance(CONTACT_CODE_INTERVAL_MS - 1);
    expect(await alice.contactCodeAdvertisement(wrapped)).toBe(undefined);
    expect(await alice.contactCodeAdvertisement(wrapped, { force: true })).toBeDefined();
    c.advance(CONTACT_CODE_INTERVAL_MS);
    expect(await alice.contactCodeAdvertisement(wrapped)).toBeDefined();

    // A reader of the contact-code topic learns the bundle and can start X3DH sessions.
    const bob = device(generatePrivateKey(), 'b1', c.now);
    const got = await bob.decrypt(alice.identity, ad!.bytes);
    expect(got).toMatchObject({ kind: 'public', installationId: 'a1' });
    expect(got.payload).toEqual(wrapped);
    const first = decodeProtocolMessage(await bob.encrypt(alice.identity, text('hello')));
    expect(first.directMessage.a1!.X3DHHeader).toBeDefined();
  });

  it('public messages carry the bundle; the signed prekey rotates after 24 h and old X3DH still opens', async () => {
    const c = clock();
    const alice = device(generatePrivateKey(), 'a1', c.now);
    const bob = device(generatePrivateKey(), 'b1', c.now);
    const publicMessage = decodeProtocolMessage(await bob.buildPublicMessage(text('public chat')));
    expect(publicMessage.bundles[0]!.signedPreKeys.b1).toBeDefined();
    const spk1 = publicMessage.bundles[0]!.signedPreKeys.b1!.signedPreKey;
    await alice.addBundle(publicMessage.bundles[0]!);
    const late = await alice.encrypt(bob.identity, text('X3DH on the old prekey'));
    c.advance(BUNDLE_REFRESH_INTERVAL_MS);
    const rotated = await bob.bundle();
    expect(rotated.signedPreKeys.b1!.signedPreKey).not.toEqual(spk1);
    expect(rotated.timestamp > publicMessage.bundles[0]!.timestamp).toBe(true);
    expect(bytesToUtf8((await bob.decrypt(alice.identity, late)).payload)).toBe('X3DH on the old prekey');
  });
});
