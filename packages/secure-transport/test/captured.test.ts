import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  decodeProtocolMessage,
  decryptWithDh,
  NO_INSTALLATION_ID,
  partitionedTopic,
  SecureTransport,
  verifyBundle,
} from '../src/index.js';

// vectors/captured-status-go.json, set A: a 1:1 message captured from a live status-go v0.79.11
// Messenger (first contact, so a DH-header message under "none"), with the recipient's identity key.
const messenger = readVectors('captured-status-go.json').items.messenger;
const keys = messenger.keys;
const envelope = messenger.one_to_one.envelopes[0];
const h = (s: string) => hexToBytes(s.replace(/^0x/, ''));
const wire = h(envelope.decrypted.payload); // the waku payload: a ProtocolMessage
const pm = envelope.protocol_message;

describe('captured status-go 1:1 message (DH header form)', () => {
  it('decodes: installation id, one bundle, direct_message["none"] with a DH header', () => {
    const decoded = decodeProtocolMessage(wire);
    expect(decoded.installationId).toBe(pm.installation_id);
    expect(decoded.bundles).toHaveLength(1);
    const bundle = decoded.bundles[0]!;
    expect(bytesToHex(bundle.identity)).toBe(pm.bundle0.identity.slice(2));
    // JSON.parse rounds the 19-digit nanosecond timestamp; this is the literal from the vector file (the
    // signature check below covers it too, the timestamp is part of the signed material).
    expect(bundle.timestamp).toBe(1795623472410002137n);
    expect(Number(bundle.timestamp)).toBe(pm.bundle0.timestamp);
    expect(bundle.signedPreKeys[pm.installation_id]!.version).toBe(1);
    expect(Object.keys(decoded.directMessage)).toEqual([NO_INSTALLATION_ID]);
    expect(bytesToHex(decoded.directMessage.none!.DHHeader!.key)).toBe(
      pm.direct_message.none.dh_header.key.slice(2),
    );
  });

  it("status-go's bundle signature verifies to the sender identity", () => {
    const bundle = decodeProtocolMessage(wire).bundles[0]!;
    expect(bytesToHex(verifyBundle(bundle))).toBe(keys.sender_identity_key.public_compressed.slice(2));
  });

  it('the DH payload opens with the recipient identity key to the recorded MVDS payload', () => {
    const direct = decodeProtocolMessage(wire).directMessage.none!;
    const plain = decryptWithDh(h(keys.dm_recipient_key.private), {
      ephemeralPublicKey: direct.DHHeader!.key,
      payload: direct.payload,
    });
    expect(bytesToHex(plain)).toBe(pm.recipient_decrypted.slice(2));
  });

  it('SecureTransport.decrypt gives the payload, sender installation, and learns the bundle', async () => {
    const recipient = new SecureTransport({
      identityKey: h(keys.dm_recipient_key.private),
      installationId: 'r1',
    });
    const sender = h(keys.sender_identity_key.public_compressed);
    const out = await recipient.decrypt(sender, wire);
    expect(out).toMatchObject({ kind: 'dh', installationId: keys.sender_installation_id });
    expect(bytesToHex(out.payload)).toBe(pm.recipient_decrypted.slice(2));
    expect(await recipient.installations(sender)).toMatchObject([
      { id: keys.sender_installation_id, version: 1 },
    ]);
  });

  it('the envelope went to the recipient partitioned topic', () => {
    expect(bytesToHex(partitionedTopic(h(keys.dm_recipient_key.public_compressed)))).toBe(
      envelope.envelope.topic.slice(2),
    );
  });
});
