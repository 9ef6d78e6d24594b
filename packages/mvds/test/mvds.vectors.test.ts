import { bytesToHex, hexToBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, messageId, oneToOneGroupId, parseMvdsPayload } from '../src/index.js';
import { example, exampleMessage } from './helpers/vectors.js';

// vectors/mvds.json: computed values (not asserted upstream), cross-checked there with protobufjs and
// a hand-written encoder. They pin the Status field numbers and the little-endian timestamp of the id.
describe('mvds.json vectors', () => {
  it('message id = sha256("MESSAGE_ID" || group_id || timestamp LE64 || body)', () => {
    expect(bytesToHex(messageId(exampleMessage))).toBe(example.message_id);
  });

  it('encodes a payload with one message byte for byte (fields 5004, 6001-6003)', () => {
    const bytes = encodePayload({ acks: [], offers: [], requests: [], messages: [exampleMessage] });
    expect(bytesToHex(bytes)).toBe(example.payload_with_message);
  });

  it('decodes the message payload back to the same message', () => {
    const payload = decodePayload(hexToBytes(example.payload_with_message));
    expect(payload.acks).toEqual([]);
    expect(payload.messages).toHaveLength(1);
    const m = payload.messages[0]!;
    expect(bytesToHex(m.groupId)).toBe(example.group_id);
    expect(m.timestamp).toBe(BigInt(example.timestamp));
    expect(bytesToHex(m.body)).toBe(example.body);
    expect(bytesToHex(messageId(m))).toBe(example.message_id);
  });

  it('encodes and decodes the ack-only payload (field 5001)', () => {
    const id = hexToBytes(example.message_id);
    const bytes = encodePayload({ acks: [id], offers: [], requests: [], messages: [] });
    expect(bytesToHex(bytes)).toBe(example.payload_ack_only);
    expect(decodePayload(bytes).acks.map(bytesToHex)).toEqual([example.message_id]);
  });

  it('the 1:1 group id of the example keys (status-go ToOneToOneGroupID)', () => {
    const { private_key_a, private_key_b, compressed_a, compressed_b } = example.group_id_inputs;
    const a = getPublicKey(hexToBytes(private_key_a), 'compressed');
    const b = getPublicKey(hexToBytes(private_key_b), 'compressed');
    expect(bytesToHex(a)).toBe(compressed_a);
    expect(bytesToHex(b)).toBe(compressed_b);
    expect(bytesToHex(oneToOneGroupId(a, b))).toBe(example.group_id);
    // Order of the arguments and key form (uncompressed 65, raw 64 bytes) do not matter.
    const bFull = getPublicKey(hexToBytes(private_key_b), 'uncompressed');
    const aRaw = getPublicKey(hexToBytes(private_key_a), 'raw');
    expect(bytesToHex(oneToOneGroupId(bFull, aRaw))).toBe(example.group_id);
  });

  it('the message body (a bare ApplicationMetadataMessage) is not MVDS by status-go`s rule', () => {
    expect(parseMvdsPayload(hexToBytes(example.body))).toBeUndefined();
    expect(parseMvdsPayload(hexToBytes(example.payload_with_message))?.messages).toHaveLength(1);
  });
});
