import { bytesToHex, concatBytes, ManualClock } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import { createMemoryCapabilityPair, decodeHello, encodeHello, snappyDecompress } from '@status-ts/devp2p';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bloomOfTopics,
  decodeBatchAck,
  decodeEnvelopeList,
  decodeMessageResponse,
  decodeP2PMessages,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  decodeStatusOptions,
  Envelope,
  encodeBatchAck,
  encodeEnvelopeList,
  encodeMessageResponse,
  encodeP2PRequestComplete,
  encodeStatusOptions,
  encryptSymmetricPayload,
  float64ToBits,
  openEnvelopeData,
  type PayloadKey,
  powTargetBits,
  publicChatKey,
  sealSize,
  topicFromName,
  topicToBloom,
  WakuCode,
  WakuNode,
} from '../src/index.js';
import { hex, type Json, loadVectors } from './helpers/vectors.js';

const v = loadVectors('captured-status-go.json');
const keys = v.keys;
const items = v.items;
const WAKU_OFFSET = items.waku_status.capability_offset as number;
const MAX = 16 * 1024 * 1024;

function unsnappy(wire: string): Uint8Array {
  return snappyDecompress(hex(wire), MAX);
}

/** Checks a decoded envelope against the recorded fields, hash, PoW, bloom and sizes. */
function checkEnvelope(envelope: Envelope, expected: Json): void {
  expect(envelope.expiry).toBe(expected.expiry);
  expect(envelope.ttl).toBe(expected.ttl);
  expect(bytesToHex(envelope.topic)).toBe(expected.topic.slice(2));
  expect(bytesToHex(envelope.data)).toBe(expected.data.slice(2));
  expect(envelope.nonce).toBe(BigInt(expected.nonce));
  expect(bytesToHex(envelope.hash)).toBe(expected.hash_keccak256_rlp.slice(2));
  expect(envelope.pow()).toBe(expected.pow);
  expect(envelope.rlpWithoutNonceLength).toBe(expected.rlp_without_nonce_len);
  expect(envelope.size).toBe(expected.size_for_pow_target);
  expect(envelope.sent).toBe(expected.sent_time);
  expect(bytesToHex(envelope.bloom)).toBe(expected.bloom.slice(2));
  // Re-encoding the fields reproduces the received bytes.
  const again = Envelope.create({
    expiry: envelope.expiry,
    ttl: envelope.ttl,
    topic: envelope.topic,
    data: envelope.data,
    nonce: envelope.nonce,
  });
  expect(bytesToHex(again.raw)).toBe(bytesToHex(envelope.raw));
}

/** Opens the envelope with `key` and compares every part of the recorded plaintext. */
function checkDecrypted(envelope: Envelope, key: PayloadKey, d: Json, signer?: string): void {
  const opened = openEnvelopeData(envelope.data, key);
  expect(bytesToHex(opened.plaintext)).toBe(d.plaintext.slice(2));
  expect(opened.flags).toBe(d.flags);
  expect(bytesToHex(opened.payload)).toBe(d.payload.slice(2));
  expect(bytesToHex(opened.padding)).toBe(d.padding.slice(2));
  expect(opened.padding.length).toBe(d.padding_len);
  expect(opened.flags & 3).toBe(d.payload_size_field_len);
  expect(opened.signature !== undefined).toBe(d.signed);
  if (d.signed) {
    expect(bytesToHex(opened.signature!)).toBe(d.signature_rsv.slice(2));
    expect(bytesToHex(keccak256(opened.plaintext.subarray(0, opened.plaintext.length - 65)))).toBe(
      d.signed_hash_keccak256.slice(2),
    );
    expect(bytesToHex(opened.signer!)).toBe(d.recovered_signer_pubkey.slice(2));
    expect(bytesToHex(opened.signer!)).toBe(signer!.slice(2));
  }
  if (key.symKey) {
    // data = ciphertext || tag || nonce: re-encrypting with the recorded nonce gives the same bytes.
    expect(bytesToHex(envelope.data.subarray(-12))).toBe(d.aes_gcm_nonce.slice(2));
    if (d.ciphertext_and_tag) {
      expect(bytesToHex(envelope.data)).toBe(
        bytesToHex(concatBytes(hex(d.ciphertext_and_tag), hex(d.aes_gcm_nonce))),
      );
    }
    expect(bytesToHex(encryptSymmetricPayload(key.symKey, opened.plaintext, hex(d.aes_gcm_nonce)))).toBe(
      bytesToHex(envelope.data),
    );
  } else if (d.ecies_iv) {
    expect(bytesToHex(envelope.data)).toBe(
      bytesToHex(
        concatBytes(
          hex(d.ecies_ephemeral_pubkey),
          hex(d.ecies_iv),
          hex(d.ecies_ciphertext),
          hex(d.ecies_hmac_sha256_tag),
        ),
      ),
    );
  } else {
    expect(bytesToHex(envelope.data.subarray(0, 65))).toBe(d.ecies_ephemeral_pubkey.slice(2));
  }
}

/** The sealing side: status-go reached the target computed with `20 + len(data)` (WAKU-10). */
function checkSeal(envelope: Envelope, powTarget: number): void {
  expect(envelope.leadingZeroBits).toBeGreaterThanOrEqual(
    powTargetBits(powTarget, envelope.size, envelope.ttl),
  );
  expect(sealSize(envelope)).toBe(envelope.size);
}

const symKey = hex(keys.symmetric.key);
const asymKey = hex(keys.asym_recipient_key.private);

describe('captured-status-go.json: keys', () => {
  it('derives the recorded symmetric keys and key pairs', () => {
    expect(bytesToHex(publicChatKey(keys.symmetric.password))).toBe(keys.symmetric.key.slice(2));
    expect(bytesToHex(publicChatKey(keys.mailserver_symkey.password))).toBe(
      keys.mailserver_symkey.key.slice(2),
    );
    for (const k of [
      keys.asym_recipient_key,
      keys.capture_peer_node_key,
      keys.signing_key,
      keys.statusd_node_key,
    ]) {
      expect(bytesToHex(getPublicKey(hex(k.private)))).toBe(k.public_uncompressed.slice(2));
    }
  });
});

describe('captured-status-go.json: handshake', () => {
  it('rlpx_hello: statusd offers waku/1 and its node id', () => {
    const item = items.rlpx_hello;
    const hello = decodeHello(hex(item.payload_rlp));
    expect(hello.capabilities.map((c) => `${c.name}/${c.version}`)).toEqual(item.decoded.capabilities);
    expect(hello.capabilities).toContainEqual({ name: 'waku', version: 1 });
    expect(bytesToHex(hello.nodeId)).toBe(item.decoded.nodeId.slice(2));
    expect(bytesToHex(hello.nodeId)).toBe(keys.statusd_node_key.public_uncompressed.slice(4));
    expect(hello.protocolVersion).toBe(item.decoded.protocolVersion);
    expect(hello.clientId).toBe(item.decoded.clientId);
    expect(bytesToHex(encodeHello(hello))).toBe(item.payload_rlp.slice(2));
  });

  it('capture_hello_sent: the capture peer offered waku/1 only', () => {
    const hello = decodeHello(hex(items.capture_hello_sent.payload_rlp));
    expect(hello.capabilities).toEqual([{ name: 'waku', version: 1 }]);
    expect(bytesToHex(hello.nodeId)).toBe(keys.capture_peer_node_key.public_uncompressed.slice(4));
  });

  it('waku_status: decodes every option and re-encodes to identical bytes', () => {
    const item = items.waku_status;
    const payload = hex(item.payload_rlp);
    expect(bytesToHex(unsnappy(item.wire_snappy))).toBe(bytesToHex(payload));
    expect(item.msg_code_on_wire - WAKU_OFFSET).toBe(WakuCode.Status);
    const o = decodeStatusOptions(payload);
    const d = item.decoded_options;
    expect(o.powRequirement).toBe(d['0_powRequirement_float']);
    expect(float64ToBits(o.powRequirement!)).toBe(BigInt(d['0_powRequirement_uint64_float_bits']));
    expect(bytesToHex(o.bloomFilter!)).toBe(d['1_bloomFilter'].slice(2));
    expect(o.lightNode).toBe(d['2_lightNodeEnabled']);
    expect(o.confirmationsEnabled).toBe(d['3_confirmationsEnabled']);
    expect(o.packetRateLimits).toEqual({ ip: 0, peerId: 0, topic: 0 });
    expect(o.bytesRateLimits).toEqual({ ip: 0, peerId: 0, topic: 0 });
    expect(o.topicInterest).toBeUndefined();
    expect(bytesToHex(encodeStatusOptions(o))).toBe(bytesToHex(payload));
  });

  it('capture_status_sent: PoW 0, light off, confirmations on; re-encodes identically', () => {
    const payload = hex(items.capture_status_sent.payload_rlp);
    const o = decodeStatusOptions(payload);
    expect(o).toEqual({ powRequirement: 0, lightNode: false, confirmationsEnabled: true });
    expect(bytesToHex(encodeStatusOptions(o))).toBe(bytesToHex(payload));
  });
});

describe('captured-status-go.json: waku_post envelopes', () => {
  for (const item of items.waku_post_envelopes) {
    it(`${item.case}: decode, hash, PoW, bloom, decrypt, signer, re-encode`, () => {
      const packet = hex(item.messages_payload_rlp);
      expect(bytesToHex(unsnappy(item.messages_wire_snappy))).toBe(bytesToHex(packet));
      expect(item.messages_msg_code_on_wire - WAKU_OFFSET).toBe(WakuCode.Messages);
      const [envelope] = decodeEnvelopeList(packet);
      expect(bytesToHex(envelope!.raw)).toBe(item.envelope_rlp.slice(2));
      expect(bytesToHex(encodeEnvelopeList([envelope!]))).toBe(bytesToHex(packet));
      checkEnvelope(envelope!, item.envelope);
      expect(bytesToHex(envelope!.hash)).toBe(item.rpc_result_envelope_hash.slice(2));
      expect(envelope!.ttl).toBe(item.rpc_params.ttl);
      expect(bytesToHex(envelope!.topic)).toBe(item.rpc_params.topic.slice(2));
      checkSeal(envelope!, item.rpc_params.powTarget);
      const key: PayloadKey = item.case.startsWith('sym') ? { symKey } : { privateKey: asymKey };
      checkDecrypted(envelope!, key, item.decrypted, keys.signing_key.public_uncompressed);
      expect(bytesToHex(openEnvelopeData(envelope!.data, key).payload)).toBe(item.plaintext_payload.slice(2));
      expect(item.decrypted.payload_utf8).toBe(item.plaintext_payload_utf8);
      // The wrong key kind does not open it.
      const other: PayloadKey = key.symKey ? { privateKey: asymKey } : { symKey };
      expect(() => openEnvelopeData(envelope!.data, other)).toThrow(
        expect.objectContaining({ code: 'ERR_WAKU_DECRYPT' }),
      );
    });
  }
});

describe('captured-status-go.json: cross-checks by hand', () => {
  it('PoW and bloom of the sym_unsigned envelope from the status-go definitions', () => {
    const e = items.waku_post_envelopes[0].envelope;
    // status-go waku/common/envelope.go calculatePoW: 2^leadingZeros / len(rlp without nonce) / ttl.
    // 0.056699889258028796 * 301 * 60 = 1024 = 2^10, so the PoW hash starts with 10 zero bits.
    expect(e.pow * e.rlp_without_nonce_len * e.ttl).toBeCloseTo(1024, 9);
    expect(1024 / 301 / 60).toBe(e.pow);
    const [envelope] = decodeEnvelopeList(hex(items.waku_post_envelopes[0].messages_payload_rlp));
    expect(envelope!.leadingZeroBits).toBe(10);
    // go-ethereum whisperv6 / status-go TopicToBloom of 5374a001: topic[3] = 0x01 sets bit 0 only, so the
    // indices are 0x53 + 256 = 339, 0x74 = 116 and 0xa0 = 160: byte 42 = 1 << 3, byte 14 = 1 << 4, byte 20 = 1.
    const bloom = new Uint8Array(64);
    bloom[42] = 0x08;
    bloom[14] = 0x10;
    bloom[20] = 0x01;
    expect(`0x${bytesToHex(bloom)}`).toBe(e.bloom);
    // The envelope hash is Keccak-256 of the RLP as received (status-go Envelope.Hash over rlp.EncodeToBytes).
    expect(`0x${bytesToHex(keccak256(hex(items.waku_post_envelopes[0].envelope_rlp)))}`).toBe(
      e.hash_keccak256_rlp,
    );
  });
});

describe('captured-status-go.json: confirmations', () => {
  const item = items.capture_to_statusd_envelope;
  const packet = hex(item.messages_payload_rlp);
  const [ack12, ack11] = item.statusd_responses;

  it('capture_to_statusd_envelope: envelope, batch hash and both confirmations', () => {
    expect(bytesToHex(unsnappy(item.messages_wire_snappy))).toBe(bytesToHex(packet));
    const [envelope] = decodeEnvelopeList(packet);
    expect(bytesToHex(envelope!.raw)).toBe(item.envelope_rlp.slice(2));
    checkEnvelope(envelope!, item.envelope);
    checkDecrypted(envelope!, { symKey }, item.decrypted, keys.signing_key.public_uncompressed);
    expect(bytesToHex(keccak256(packet))).toBe(item.batch_hash_keccak256.slice(2));
    expect(ack12.msg_code_on_wire - WAKU_OFFSET).toBe(WakuCode.MessageResponse);
    expect(ack11.msg_code_on_wire - WAKU_OFFSET).toBe(WakuCode.BatchAcknowledged);
    expect(bytesToHex(unsnappy(ack12.wire_snappy))).toBe(ack12.payload_rlp.slice(2));
    expect(bytesToHex(unsnappy(ack11.wire_snappy))).toBe(ack11.payload_rlp.slice(2));
    const response = decodeMessageResponse(hex(ack12.payload_rlp))!;
    expect(bytesToHex(response.batchHash)).toBe(ack12.decoded.batch_hash.slice(2));
    expect(response.errors).toHaveLength(ack12.decoded.errors);
    expect(bytesToHex(encodeMessageResponse(response))).toBe(ack12.payload_rlp.slice(2));
    expect(bytesToHex(decodeBatchAck(hex(ack11.payload_rlp)))).toBe(ack11.decoded.batch_hash.slice(2));
    expect(bytesToHex(encodeBatchAck(hex(ack11.decoded.batch_hash)))).toBe(ack11.payload_rlp.slice(2));
  });

  const nodes: WakuNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
  });

  it('a WakuNode with confirmations answers the captured batch with statusd’s exact bytes', async () => {
    const clock = new ManualClock((item.envelope.sent_time + 1) * 1000);
    const node = new WakuNode({ clock, confirmations: true });
    nodes.push(node);
    await node.start();
    const [ours, theirs] = createMemoryCapabilityPair({
      name: 'waku',
      version: 1,
      length: 128,
      idA: hex(keys.statusd_node_key.public_uncompressed).subarray(1),
      idB: hex(keys.capture_peer_node_key.public_uncompressed).subarray(1),
    });
    node.attach(ours, 'waku');
    const inbox = theirs.messages()[Symbol.asyncIterator]();
    const status = await inbox.next();
    expect(status.value.code).toBe(WakuCode.Status);
    expect(decodeStatusOptions(status.value.payload).confirmationsEnabled).toBe(true);
    await theirs.send(WakuCode.Status, hex(items.capture_status_sent.payload_rlp));
    await theirs.send(WakuCode.Messages, packet);
    const first = (await inbox.next()).value;
    const second = (await inbox.next()).value;
    expect([first.code, bytesToHex(first.payload)]).toEqual([
      WakuCode.MessageResponse,
      ack12.payload_rlp.slice(2),
    ]);
    expect([second.code, bytesToHex(second.payload)]).toEqual([
      WakuCode.BatchAcknowledged,
      ack11.payload_rlp.slice(2),
    ]);
    expect(node.counters.envelopesAccepted).toBe(1);
  });
});

describe('captured-status-go.json: mailserver framing (what waku decodes)', () => {
  const ms = items.mailserver;
  const mailKey = hex(keys.mailserver_symkey.key);

  for (const item of ms.capture_requests_statusd_serves) {
    it(`${item.case}: P2P request, P2P messages and request-complete framing`, () => {
      const payload = hex(item.request_payload_rlp);
      expect(bytesToHex(unsnappy(item.request_wire_snappy))).toBe(bytesToHex(payload));
      const request = decodeP2PRequest(payload);
      expect(request.payload).toBe(payload);
      if (item.envelope) {
        expect(item.p2p_request_msg_code_on_wire - WAKU_OFFSET).toBe(WakuCode.P2PRequest);
        checkEnvelope(request.envelope!, item.envelope);
        expect(bytesToHex(request.envelope!.hash)).toBe(item.request_id.slice(2));
        checkDecrypted(
          request.envelope!,
          { symKey: mailKey },
          item.decrypted,
          keys.capture_peer_node_key.public_uncompressed,
        );
        // The MessagesRequestPayload inside is the mailserver package's to decode.
        expect(bytesToHex(openEnvelopeData(request.envelope!.data, { symKey: mailKey }).payload)).toBe(
          item.messages_request_payload_rlp.slice(2),
        );
        // The request bloom is the OR of the topic blooms.
        const topics = item.messages_request_payload_decoded.topics.map((t: string) => hex(t));
        expect(bytesToHex(bloomOfTopics(topics))).toBe(item.messages_request_payload_decoded.bloom.slice(2));
      } else {
        // A MessagesRequest struct (7 fields) is not an envelope: left to the mailserver package.
        expect(request.envelope).toBeUndefined();
      }
      for (const response of item.responses) {
        const body = hex(response.payload_rlp);
        expect(bytesToHex(unsnappy(response.wire_snappy))).toBe(bytesToHex(body));
        if (response.waku_code === WakuCode.P2PMessage) {
          const envelopes = decodeP2PMessages(body);
          expect(envelopes.map((e) => `0x${e.hashHex}`)).toEqual(response.envelope_hashes);
          expect(bytesToHex(encodeEnvelopeList(envelopes))).toBe(bytesToHex(body));
        } else {
          expect(response.waku_code).toBe(WakuCode.P2PRequestComplete);
          const complete = decodeP2PRequestComplete(body);
          const d = response.decoded;
          const raw = hex(d.raw);
          expect(raw.length).toBe(d.len);
          expect(bytesToHex(complete.requestId)).toBe(bytesToHex(raw.subarray(0, 32)));
          expect(bytesToHex(complete.lastEnvelopeHash!)).toBe(bytesToHex(raw.subarray(32, 64)));
          if (d.cursor) {
            expect(bytesToHex(complete.requestId)).toBe(d.request_id.slice(2));
            expect(bytesToHex(complete.lastEnvelopeHash!)).toBe(d.last_envelope_hash.slice(2));
            expect(bytesToHex(complete.cursor!)).toBe(d.cursor.slice(2));
          } else {
            expect(bytesToHex(complete.requestId)).toBe(item.decoded.id.slice(2));
            expect(`0x${bytesToHex(complete.lastEnvelopeHash!)}`).toBe(
              item.responses[0].envelope_hashes.at(-1),
            );
            expect(complete.cursor).toBeUndefined();
          }
          expect(bytesToHex(encodeP2PRequestComplete(complete))).toBe(bytesToHex(body));
        }
      }
    });
  }

  it('statusd_requests_capture_peer: the request envelope statusd built, and the reply', () => {
    const item = ms.statusd_requests_capture_peer;
    const payload = hex(item.request_payload_rlp);
    expect(bytesToHex(unsnappy(item.request_wire_snappy))).toBe(bytesToHex(payload));
    const request = decodeP2PRequest(payload);
    checkEnvelope(request.envelope!, item.envelope);
    expect(bytesToHex(request.envelope!.hash)).toBe(item.rpc_result_request_id.slice(2));
    checkDecrypted(
      request.envelope!,
      { symKey: mailKey },
      item.decrypted,
      keys.statusd_node_key.public_uncompressed,
    );
    expect(request.envelope!.ttl).toBe(50);
    // Sealed against statusd's own minimum PoW (its Status advertises it).
    checkSeal(request.envelope!, items.waku_status.decoded_options['0_powRequirement_float']);
    const topics = item.messages_request_payload_decoded.topics.map((t: string) => hex(t));
    expect(bytesToHex(bloomOfTopics(topics))).toBe(item.messages_request_payload_decoded.bloom.slice(2));
    // The capture peer answered with a bare request id (frame_log).
    const reply = v.items.frame_log.find(
      (f: Json) => f.dir === 'capture->statusd' && f.code === WAKU_OFFSET + 125,
    );
    const complete = decodeP2PRequestComplete(hex(reply.payload));
    expect(bytesToHex(complete.requestId)).toBe(item.rpc_result_request_id.slice(2));
    expect(complete.lastEnvelopeHash).toBeUndefined();
    expect(bytesToHex(encodeP2PRequestComplete(complete))).toBe(reply.payload.slice(2));
  });
});

describe('captured-status-go.json: Messenger envelopes', () => {
  const m = items.messenger;

  it('public chat: topic and key from the chat name, signed by the sender identity', () => {
    const chat = m.public_chat;
    expect(`0x${bytesToHex(topicFromName(chat.chat_name))}`).toBe(m.keys.public_chat_topic.topic);
    expect(`0x${bytesToHex(publicChatKey(chat.chat_name))}`).toBe(m.keys.public_chat_symkey.key);
    for (const item of chat.envelopes) {
      const [envelope] = decodeEnvelopeList(hex(item.messages_payload_rlp));
      expect(bytesToHex(envelope!.raw)).toBe(item.envelope_rlp.slice(2));
      checkEnvelope(envelope!, item.envelope);
      expect(bytesToHex(envelope!.topic)).toBe(m.keys.public_chat_topic.topic.slice(2));
      checkDecrypted(
        envelope!,
        { symKey: publicChatKey(chat.chat_name) },
        item.decrypted,
        m.keys.sender_identity_key.public_uncompressed,
      );
      checkSeal(envelope!, 0.002);
    }
  });

  it('1:1: partitioned topic, ECIES to the recipient, signed by the sender identity', () => {
    expect(`0x${bytesToHex(topicFromName(m.keys.dm_partitioned_topic.name))}`).toBe(
      m.keys.dm_partitioned_topic.topic,
    );
    for (const item of m.one_to_one.envelopes) {
      const [envelope] = decodeEnvelopeList(hex(item.messages_payload_rlp));
      expect(bytesToHex(envelope!.raw)).toBe(item.envelope_rlp.slice(2));
      checkEnvelope(envelope!, item.envelope);
      expect(bytesToHex(envelope!.topic)).toBe(m.keys.dm_partitioned_topic.topic.slice(2));
      checkDecrypted(
        envelope!,
        { privateKey: hex(m.keys.dm_recipient_key.private) },
        item.decrypted,
        m.keys.sender_identity_key.public_uncompressed,
      );
      // Two-byte size field: flags 0x06 = signed | 2.
      expect(item.decrypted.flags).toBe(0x06);
      checkSeal(envelope!, 0.002);
    }
  });
});

describe('captured-status-go.json: frame_log', () => {
  it('decodes every frame with the codec of its code and re-encodes where we own the encoder', () => {
    const seen = new Set<number>();
    for (const frame of items.frame_log) {
      const payload = hex(frame.payload);
      seen.add(frame.code);
      if (frame.code < WAKU_OFFSET) {
        // Base protocol: Hello (0), Ping (2), Pong (3): devp2p's, checked here for completeness.
        if (frame.code === 0)
          expect(decodeHello(payload).capabilities).toContainEqual({ name: 'waku', version: 1 });
        else expect(frame.payload).toBe('0xc0');
        continue;
      }
      const code = frame.code - WAKU_OFFSET;
      switch (code) {
        case WakuCode.Status:
          expect(bytesToHex(encodeStatusOptions(decodeStatusOptions(payload)))).toBe(bytesToHex(payload));
          break;
        case WakuCode.Messages:
        case WakuCode.P2PMessage: {
          const envelopes =
            code === WakuCode.Messages ? decodeEnvelopeList(payload) : decodeP2PMessages(payload);
          expect(envelopes.length).toBeGreaterThan(0);
          expect(bytesToHex(encodeEnvelopeList(envelopes))).toBe(bytesToHex(payload));
          for (const e of envelopes) expect(bytesToHex(topicToBloom(e.topic))).toBe(bytesToHex(e.bloom));
          break;
        }
        case WakuCode.BatchAcknowledged:
          expect(bytesToHex(encodeBatchAck(decodeBatchAck(payload)))).toBe(bytesToHex(payload));
          break;
        case WakuCode.MessageResponse:
          expect(bytesToHex(encodeMessageResponse(decodeMessageResponse(payload)!))).toBe(
            bytesToHex(payload),
          );
          break;
        case WakuCode.P2PRequest:
          expect(decodeP2PRequest(payload).payload).toBe(payload);
          break;
        case WakuCode.P2PRequestComplete:
          expect(bytesToHex(encodeP2PRequestComplete(decodeP2PRequestComplete(payload)))).toBe(
            bytesToHex(payload),
          );
          break;
        default:
          throw new Error(`unexpected waku code ${code} in the frame log`);
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 2, 3, 16, 17, 27, 28, 141, 142, 143]);
  });

  it('has the statusd envelopes in the order it relayed them', () => {
    const relayed = items.frame_log
      .filter((f: Json) => f.dir === 'statusd->capture' && f.code === WAKU_OFFSET + WakuCode.Messages)
      .flatMap((f: Json) => decodeEnvelopeList(hex(f.payload)).map((e) => `0x${e.hashHex}`));
    expect(relayed).toEqual([
      ...items.waku_post_envelopes.map((e: Json) => e.envelope.hash_keccak256_rlp),
      m2h(items.messenger.public_chat.envelopes[0]),
      m2h(items.messenger.one_to_one.envelopes[0]),
    ]);
  });
});

function m2h(item: Json): string {
  return item.envelope.hash_keccak256_rlp;
}
