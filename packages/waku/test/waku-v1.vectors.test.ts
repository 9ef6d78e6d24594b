import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  BLOOM_SIZE,
  bitsToFloat64,
  bytesToTopic,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_SYNC_ALLOWANCE,
  decodePayload,
  decodeStatusOptions,
  decryptSymmetricPayload,
  ENVELOPE_HEADER_LENGTH,
  Envelope,
  EXPIRATION_CYCLE_MS,
  encodePayload,
  encodeStatusOptions,
  encryptSymmetricPayload,
  float64ToBits,
  leadingZeroBits,
  MAX_MESSAGE_SIZE_CAP,
  MAX_TOPIC_INTEREST,
  NUMBER_OF_CODES,
  PADDING_BLOCK_SIZE,
  paddingLength,
  publicChatKey,
  SIGNATURE_LENGTH,
  TOPIC_LENGTH,
  TRANSMISSION_CYCLE_MS,
  topicFromName,
  topicToBloom,
  topicToString,
  WAKU_PROTOCOL,
  WakuCode,
  WHISPER_PROTOCOL,
  WhisperCode,
} from '../src/index.js';
import { hex, loadVectors } from './helpers/vectors.js';

const v = loadVectors('waku-v1.json');

describe('waku-v1.json: envelope and PoW', () => {
  for (const vector of v.pow.vectors_official) {
    it(`PoW of "${vector.name}" equals status-go/geth (${vector.want_pow})`, () => {
      const e = Envelope.create({
        expiry: vector.envelope.expiry,
        ttl: vector.envelope.ttl,
        topic: hex(vector.envelope.topic),
        data: hex(vector.envelope.data),
        nonce: vector.envelope.nonce,
      });
      // Official: want_pow (status-go + geth tests) and want_pow_hash (nim-eth).
      expect(e.pow()).toBe(vector.want_pow);
      expect(bytesToHex(e.powHash)).toBe(vector.want_pow_hash);
      // Computed in the vector file: encodings and the envelope hash.
      expect(bytesToHex(e.rlpWithoutNonce())).toBe(vector.computed.rlp_without_nonce);
      expect(bytesToHex(e.raw)).toBe(vector.computed.envelope_rlp);
      expect(bytesToHex(e.hash)).toBe(vector.computed.envelope_hash);
      expect(e.leadingZeroBits).toBe(vector.computed.leading_zero_bits);
      const decoded = Envelope.decode(hex(vector.computed.envelope_rlp));
      expect(decoded.nonce).toBe(BigInt(vector.envelope.nonce));
      expect(decoded.pow()).toBe(vector.want_pow);
    });
  }

  it('cross-checks the PoW of the 8-leading-zeros envelope by hand (status-go envelope.go calculatePoW)', () => {
    // RLP([0, 1, 00000000, deadbeef]) by hand: 0 -> 80, 1 -> 01, topic -> 84 00000000, data -> 84 deadbeef;
    // payload 1 + 1 + 5 + 5 = 12 bytes, list header c0 + 12 = cc: 13 bytes in all.
    const rlp = hexToBytes('cc' + '80' + '01' + '8400000000' + '84deadbeef');
    // PoW input: the nonce-less RLP || nonce 276 (0x114) as 8 bytes big-endian.
    const h = keccak256(rlp, hexToBytes('0000000000000114'));
    expect(bytesToHex(h).startsWith('00e2')).toBe(true); // 0x00 then 0xe2 = 1110_0010: 8 leading zero bits
    // status-go: x = 2^8; x /= len(rlp) (13); x /= TTL (1)
    expect(256 / 13 / 1).toBe(v.pow.vectors_official[1].want_pow);
    // The envelope hash is Keccak-256 of the whole RLP: list header cf (15 payload bytes) + items + 82 0114.
    const full = hexToBytes('cf' + '80' + '01' + '8400000000' + '84deadbeef' + '820114');
    expect(bytesToHex(keccak256(full))).toBe(v.pow.vectors_official[1].computed.envelope_hash);
  });

  for (const c of v.pow.formula_checks_nim_parity.cases) {
    it(`PoW formula with size 1, TTL 1 and hash ${c.hash.slice(0, 8)}… is ${c.want_pow} (nim-eth/Parity)`, () => {
      expect(2 ** leadingZeroBits(hex(c.hash)) / 1 / 1).toBe(c.want_pow);
    });
  }
});

describe('waku-v1.json: bloom and topics', () => {
  it('bloom of 0000ff06 equals the official vector (status-go, geth and nim-eth TestBloom)', () => {
    expect(bytesToHex(topicToBloom(hex(v.bloom.vector_official.topic)))).toBe(v.bloom.vector_official.bloom);
    // By hand from go-ethereum whisperv6 TopicToBloom (= status-go waku/common/topic.go, WAKU-8):
    // topic[3] = 0x06 sets bits 1 and 2. index0 = 0x00 = 0, index1 = 0x00 + 256 = 256,
    // index2 = 0xff + 256 = 511: byte 0 = 0x01, byte 32 = 0x01, byte 63 = 1 << 7 = 0x80.
    const byHand = new Uint8Array(BLOOM_SIZE);
    byHand[0] = 0x01;
    byHand[32] = 0x01;
    byHand[63] = 0x80;
    expect(bytesToHex(byHand)).toBe(v.bloom.vector_official.bloom);
  });

  for (const ex of v.bloom.examples_computed) {
    it(`bloom of ${ex.topic} uses the assignment rule (differs from OR: ${ex.differs})`, () => {
      const bloom = topicToBloom(hex(ex.topic));
      expect(bytesToHex(bloom)).toBe(ex.bloom_statusgo_geth);
      const or = new Uint8Array(BLOOM_SIZE);
      for (const i of ex.indices as number[]) or[i >> 3]! |= 1 << (i & 7);
      expect(bytesToHex(or)).toBe(ex.bloom_or_nim);
      expect(bytesToHex(bloom) !== bytesToHex(or)).toBe(ex.differs);
    });
  }

  it('formats topics as status-go does', () => {
    for (const c of v.topic.string_form_official) expect(topicToString(hex(c.topic))).toBe(c.str);
  });

  it('converts bytes to topics as go-ethereum BytesToTopic does', () => {
    for (const c of v.topic.bytes_to_topic_official)
      expect(bytesToHex(bytesToTopic(hex(c.bytes)))).toBe(c.topic);
  });

  it('derives public-chat topics and keys (PBKDF2-SHA256, 65356 iterations)', () => {
    for (const c of v.payload.public_chats_computed) {
      expect(bytesToHex(topicFromName(c.chat_id))).toBe(c.topic);
      expect(bytesToHex(publicChatKey(c.chat_id))).toBe(c.sym_key);
    }
  });
});

describe('waku-v1.json: payload', () => {
  it('pads as nim-eth and status-go do', () => {
    for (const c of v.payload.padding_examples_official.cases) {
      expect(paddingLength(c.payload_len, c.signed)).toBe(c.padding_len);
      const raw = encodePayload({
        payload: new Uint8Array(c.payload_len),
        ...(c.signed ? { signingKey: hex(v.payload.deterministic_example_computed.signer_private_key) } : {}),
      });
      expect(raw.length % PADDING_BLOCK_SIZE).toBe(0);
    }
  });

  const ex = v.payload.deterministic_example_computed;
  const key = hex(ex.sym_key);
  for (const kind of ['unsigned', 'signed'] as const) {
    it(`decodes, re-encrypts and re-encodes the ${kind} deterministic example`, () => {
      const raw = hex(ex[kind].raw);
      expect(bytesToHex(decryptSymmetricPayload(key, hex(ex[kind].data)))).toBe(ex[kind].raw);
      expect(bytesToHex(encryptSymmetricPayload(key, raw, hex(ex.gcm_nonce)))).toBe(ex[kind].data);
      const decoded = decodePayload(raw);
      expect(decoded.payload).toEqual(utf8ToBytes(ex.payload_utf8));
      const signer = kind === 'signed' ? hex(ex.signer_private_key) : undefined;
      if (signer) expect(decoded.signer).toEqual(getPublicKey(signer));
      else expect(decoded.signer).toBeUndefined();
      // Zero padding as in the example; the signature is RFC 6979, so re-signing reproduces it.
      const again = encodePayload({
        payload: decoded.payload,
        padding: decoded.padding,
        ...(signer ? { signingKey: signer } : {}),
      });
      expect(bytesToHex(again)).toBe(ex[kind].raw);
    });
  }

  it('builds the deterministic envelope byte for byte', () => {
    const e = ex.envelope_unsigned;
    const envelope = Envelope.create({
      expiry: e.expiry,
      ttl: e.ttl,
      topic: hex(e.topic),
      data: hex(e.data),
      nonce: e.nonce,
    });
    expect(bytesToHex(envelope.raw)).toBe(e.rlp);
    expect(bytesToHex(envelope.hash)).toBe(e.hash);
    expect(bytesToHex(envelope.powHash)).toBe(e.pow_hash);
    expect(envelope.pow()).toBe(e.pow);
  });
});

describe('waku-v1.json: wire constants', () => {
  it('uses the waku/1 and shh/6 codes of status-go', () => {
    const w = v.wire.waku_v1;
    expect([WAKU_PROTOCOL.name, WAKU_PROTOCOL.version, WAKU_PROTOCOL.length]).toEqual([
      w.name,
      w.version,
      w.number_of_codes,
    ]);
    expect(WakuCode).toEqual({
      Status: w.codes.status,
      Messages: w.codes.messages,
      BatchAcknowledged: w.codes.batch_acknowledged,
      MessageResponse: w.codes.message_response,
      StatusUpdate: w.codes.status_update,
      P2PRequestComplete: w.codes.p2p_request_complete,
      P2PRequest: w.codes.p2p_request,
      P2PMessage: w.codes.p2p_message,
    });
    const s = v.wire.whisper_v6;
    expect([WHISPER_PROTOCOL.name, WHISPER_PROTOCOL.version, NUMBER_OF_CODES]).toEqual([
      s.name,
      s.version,
      s.number_of_codes,
    ]);
    expect(WhisperCode).toEqual({
      Status: s.codes.status,
      Messages: s.codes.messages,
      PowRequirement: s.codes.pow_requirement,
      BloomFilterExchange: s.codes.bloom_filter_exchange,
      BatchAcknowledged: s.codes.batch_acknowledged,
      MessageResponse: s.codes.message_response,
      RateLimiting: s.codes.rate_limiting,
      P2PSyncRequest: s.codes.p2p_sync_request,
      P2PSyncResponse: s.codes.p2p_sync_response,
      P2PRequestComplete: s.codes.p2p_request_complete,
      P2PRequest: s.codes.p2p_request,
      P2PMessage: s.codes.p2p_message,
    });
  });

  it('encodes and decodes the status-options examples (backward and forward compatibility)', () => {
    const [backward, forward] = v.wire.waku_v1_status_options.examples_computed;
    expect(bytesToHex(encodeStatusOptions({ powRequirement: 2.05 }))).toBe(backward.rlp);
    expect(float64ToBits(2.05)).toBe(0x4000666666666666n);
    expect(decodeStatusOptions(hex(backward.rlp))).toEqual({ powRequirement: 2.05 });
    // Key 99 is unknown: skipped.
    expect(decodeStatusOptions(hex(forward.rlp))).toEqual({ powRequirement: 2.05 });
    expect(bitsToFloat64(0x4000666666666666n)).toBe(2.05);
  });

  it('uses the constants of status-go waku/common/const.go', () => {
    const c = v.wire.constants;
    expect(ENVELOPE_HEADER_LENGTH).toBe(c.EnvelopeHeaderLength);
    expect(BLOOM_SIZE).toBe(c.BloomFilterSize);
    expect(TOPIC_LENGTH).toBe(c.TopicLength);
    expect(SIGNATURE_LENGTH).toBe(c.signatureLength);
    expect(PADDING_BLOCK_SIZE).toBe(c.padSizeLimit);
    expect(MAX_TOPIC_INTEREST).toBe(c.MaxTopicInterest);
    expect(DEFAULT_MAX_MESSAGE_SIZE).toBe(c.DefaultMaxMessageSize);
    expect(MAX_MESSAGE_SIZE_CAP).toBe(c.MaxMessageSize);
    expect(DEFAULT_SYNC_ALLOWANCE).toBe(c.DefaultSyncAllowance);
    expect(TRANSMISSION_CYCLE_MS).toBe(c.TransmissionCycle_ms);
    expect(EXPIRATION_CYCLE_MS).toBe(c.ExpirationCycle_ms);
  });
});
