import { bytesToHex, hexToBytes } from '@status-ts/core';
import { ecdhCompressed, getPublicKey, keccak256 } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  acceptHandshake,
  decodeHandshakeAuthdata,
  decodeMessage,
  decodeMessageAuthdata,
  decodePacket,
  decodeWhoareyouAuthdata,
  decryptMessage,
  deriveSessionKeys,
  encodeHandshakePacket,
  encodeMessage,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  encryptMessage,
  initiateHandshake,
  MessageType,
  PacketFlag,
  signIdNonce,
  verifyIdNonce,
} from '../src/index.js';

// Official vectors: ethereum/devp2p discv5/discv5-wire-test-vectors.md (copied to the shared vectors folder).
const vectors = readVectors<{
  keys: Record<string, string>;
  packets: Record<
    string,
    { inputs: Record<string, string | number>; packet: string; decoded_computed: Record<string, unknown> }
  >;
  primitives: Record<string, Record<string, string>>;
}>('discv5-wire.json');
const h = hexToBytes;
const keyA = h(vectors.keys.node_a_key!);
const keyB = h(vectors.keys.node_b_key!);
const idA = h(vectors.keys.node_a_id!);
const idB = h(vectors.keys.node_b_id!);
const zeroIv = new Uint8Array(16);
const P = vectors.packets;

describe('discv5-wire test vectors: identities', () => {
  it('node ids are keccak256 of the public keys', () => {
    expect(bytesToHex(keccak256(getPublicKey(keyA, 'raw')))).toBe(bytesToHex(idA));
    expect(bytesToHex(keccak256(getPublicKey(keyB, 'raw')))).toBe(bytesToHex(idB));
  });
});

describe('discv5-wire test vectors: primitives', () => {
  const prim = vectors.primitives;
  it('ECDH gives the 33-byte compressed shared point', () => {
    const { public_key, secret_key, shared_secret } = prim.ecdh!;
    expect(bytesToHex(ecdhCompressed(h(secret_key!), h(public_key!)))).toBe(shared_secret!.slice(2));
  });

  it('key derivation (HKDF, salt = challenge-data)', () => {
    const v = prim.key_derivation!;
    const secret = ecdhCompressed(h(v.ephemeral_key!), h(v.dest_pubkey!));
    const keys = deriveSessionKeys(secret, h(v.node_id_a!), h(v.node_id_b!), h(v.challenge_data!));
    expect(bytesToHex(keys.initiatorKey)).toBe(v.initiator_key!.slice(2));
    expect(bytesToHex(keys.recipientKey)).toBe(v.recipient_key!.slice(2));
  });

  it('id-nonce signature reproduces byte for byte (RFC 6979) and verifies', () => {
    const v = prim.id_nonce_signing!;
    const sig = signIdNonce(h(v.static_key!), h(v.challenge_data!), h(v.ephemeral_pubkey!), h(v.node_id_b!));
    expect(bytesToHex(sig)).toBe(v.id_signature!.slice(2));
    const pub = getPublicKey(h(v.static_key!), 'compressed');
    expect(verifyIdNonce(pub, sig, h(v.challenge_data!), h(v.ephemeral_pubkey!), h(v.node_id_b!))).toBe(true);
    expect(verifyIdNonce(pub, sig, h(v.challenge_data!), h(v.ephemeral_pubkey!), idA)).toBe(false);
  });

  it('AES-GCM message encryption', () => {
    const v = prim.aes_gcm!;
    const ct = encryptMessage(h(v.encryption_key!), h(v.nonce!), h(v.pt!), h(v.ad!));
    expect(bytesToHex(ct)).toBe(v.message_ciphertext!.slice(2));
    expect(bytesToHex(decryptMessage(h(v.encryption_key!), h(v.nonce!), ct, h(v.ad!)))).toBe(v.pt!.slice(2));
  });
});

describe('discv5-wire test vectors: packets decoded as node B', () => {
  it('ping message packet (flag 0)', () => {
    const v = P.ping_message_packet!;
    const packet = decodePacket(idB, h(v.packet));
    expect(packet.flag).toBe(PacketFlag.Message);
    expect(bytesToHex(packet.nonce)).toBe(String(v.inputs.nonce).slice(2));
    expect(bytesToHex(decodeMessageAuthdata(packet.authdata))).toBe(bytesToHex(idA));
    const pt = decryptMessage(
      h(String(v.inputs['read-key'])),
      packet.nonce,
      packet.message,
      packet.headerData,
    );
    expect(bytesToHex(pt)).toBe(String(v.decoded_computed.message_plaintext).slice(2));
    expect(decodeMessage(pt)).toEqual({ type: MessageType.Ping, requestId: h('00000001'), enrSeq: 2n });
  });

  it('WHOAREYOU packet (flag 1): challenge-data is the unmasked header', () => {
    const v = P.whoareyou_packet!;
    const packet = decodePacket(idB, h(v.packet));
    expect(packet.flag).toBe(PacketFlag.Whoareyou);
    expect(bytesToHex(packet.nonce)).toBe(String(v.inputs['whoareyou.request-nonce']).slice(2));
    const auth = decodeWhoareyouAuthdata(packet.authdata);
    expect(bytesToHex(auth.idNonce)).toBe(String(v.inputs['whoareyou.id-nonce']).slice(2));
    expect(auth.enrSeq).toBe(0n);
    expect(bytesToHex(packet.headerData)).toBe(String(v.inputs['whoareyou.challenge-data']).slice(2));
    expect(packet.message.length).toBe(0);
  });

  for (const name of ['ping_handshake_packet', 'ping_handshake_message_packet'] as const) {
    it(`${name} (flag 2): id-signature, session keys and message`, () => {
      const v = P[name]!;
      const packet = decodePacket(idB, h(v.packet));
      expect(packet.flag).toBe(PacketFlag.Handshake);
      expect(bytesToHex(packet.authdata)).toBe(String(v.decoded_computed.authdata).slice(2));
      const auth = decodeHandshakeAuthdata(packet.authdata);
      expect(bytesToHex(auth.srcId)).toBe(bytesToHex(idA));
      expect(bytesToHex(auth.ephemeralPublicKey)).toBe(String(v.inputs['ephemeral-pubkey']).slice(2));
      const recordHex = v.decoded_computed.record as string | null;
      expect(auth.record === undefined ? null : `0x${bytesToHex(auth.record)}`).toBe(recordHex);
      // B knows A's record with the seq it put in WHOAREYOU (the vector has no record text: any record of A's key).
      const whoareyouSeq = BigInt(v.inputs['whoareyou.enr-seq']!);
      const knownRecord = whoareyouSeq > 0n ? Enr.create({ privateKey: keyA, seq: whoareyouSeq }) : undefined;
      const accepted = acceptHandshake({
        localPrivateKey: keyB,
        localId: idB,
        challengeData: h(String(v.inputs['whoareyou.challenge-data'])),
        auth,
        knownRecord,
      });
      expect(bytesToHex(accepted.readKey)).toBe(String(v.inputs['read-key']).slice(2));
      expect(accepted.record.nodeIdHex).toBe(bytesToHex(idA));
      if (recordHex !== null) {
        expect(accepted.recordUpdated).toBe(true);
        expect(accepted.record.seq).toBe(BigInt(v.decoded_computed.record_seq as number));
        expect(accepted.record.ip).toBe('127.0.0.1');
      }
      const pt = decryptMessage(accepted.readKey, packet.nonce, packet.message, packet.headerData);
      expect(bytesToHex(pt)).toBe(String(v.decoded_computed.message_plaintext).slice(2));
      expect(decodeMessage(pt)).toMatchObject({ type: MessageType.Ping, enrSeq: 1n });
    });
  }
});

describe('discv5-wire test vectors: our encoder reproduces the packets', () => {
  it('ping message packet', () => {
    const v = P.ping_message_packet!;
    const plaintext = encodeMessage({ type: MessageType.Ping, requestId: h('00000001'), enrSeq: 2n });
    const packet = encodeMessagePacket({
      srcId: idA,
      destId: idB,
      key: h(String(v.inputs['read-key'])),
      nonce: h(String(v.inputs.nonce)),
      maskingIv: zeroIv,
      plaintext,
    });
    expect(bytesToHex(packet)).toBe(v.packet.slice(2));
  });

  it('WHOAREYOU packet', () => {
    const v = P.whoareyou_packet!;
    const { packet, challengeData } = encodeWhoareyouPacket({
      destId: idB,
      nonce: h(String(v.inputs['whoareyou.request-nonce'])),
      idNonce: h(String(v.inputs['whoareyou.id-nonce'])),
      enrSeq: 0n,
      maskingIv: zeroIv,
    });
    expect(bytesToHex(packet)).toBe(v.packet.slice(2));
    expect(bytesToHex(challengeData)).toBe(String(v.inputs['whoareyou.challenge-data']).slice(2));
  });

  for (const name of ['ping_handshake_packet', 'ping_handshake_message_packet'] as const) {
    it(name, () => {
      const v = P[name]!;
      const recordHex = v.decoded_computed.record as string | null;
      // A's own record: the vector's (seq 1) when it must be sent; with enr-seq 1 it is left out.
      const localRecord =
        recordHex === null ? Enr.create({ privateKey: keyA, seq: 1 }) : Enr.decode(h(recordHex));
      const hs = initiateHandshake({
        localPrivateKey: keyA,
        localId: idA,
        remoteId: idB,
        remotePublicKey: getPublicKey(keyB, 'compressed'),
        challengeData: h(String(v.inputs['whoareyou.challenge-data'])),
        challengeEnrSeq: BigInt(v.inputs['whoareyou.enr-seq']!),
        localRecord,
        ephemeralPrivateKey: h(String(v.inputs['ephemeral-key'])),
      });
      expect(hs.includesRecord).toBe(recordHex !== null);
      expect(bytesToHex(hs.writeKey)).toBe(String(v.inputs['read-key']).slice(2));
      const packet = encodeHandshakePacket({
        destId: idB,
        authdata: hs.authdata,
        key: hs.writeKey,
        nonce: h(String(v.inputs.nonce)),
        maskingIv: zeroIv,
        plaintext: encodeMessage({ type: MessageType.Ping, requestId: h('00000001'), enrSeq: 1n }),
      });
      expect(bytesToHex(packet)).toBe(v.packet.slice(2));
    });
  }
});
