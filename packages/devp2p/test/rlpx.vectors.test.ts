import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { createAesCtr, getPublicKey, initFastCrypto, keccak256 } from '@status-ts/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  ByteQueue,
  decodeAckBody,
  decodeAuthBody,
  decodeHello,
  deriveSecrets,
  FrameDecoder,
  FrameEncoder,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  type MacHash,
  RecipientHandshake,
  RlpxMac,
  readHandshakePacket,
  splitFrame,
} from '../src/index.js';

const vectors = readVectors('rlpx-eip8.json');
const hs = vectors.handshake;
const h = (s: string) => hexToBytes(s);
const keyA = h(hs.static_key_a);
const keyB = h(hs.static_key_b);

function read(packetHex: string, key: Uint8Array, legacySize: number) {
  const queue = new ByteQueue();
  queue.push(h(packetHex));
  const result = readHandshakePacket(queue, key, legacySize, 2048)!;
  expect(result).toBeDefined();
  expect(queue.length).toBe(0);
  return result;
}

beforeAll(async () => {
  await initFastCrypto();
});

describe('EIP-8 handshake vectors', () => {
  const pubA = getPublicKey(keyA, 'raw');
  const ephPubA = getPublicKey(h(hs.ephemeral_key_a), 'raw');
  const ephPubB = getPublicKey(h(hs.ephemeral_key_b), 'raw');

  it('decodes Auth1 (legacy) with the recipient key and checks the signature and key hash', () => {
    const { plaintext, format } = read(hs.packets.auth1_legacy.hex, keyB, LEGACY_AUTH_SIZE);
    expect(format).toBe('legacy');
    const auth = decodeAuthBody(plaintext, format);
    expect(bytesToHex(auth.initiatorPublicKey)).toBe(bytesToHex(pubA));
    expect(bytesToHex(auth.nonce)).toBe(hs.nonce_a);
    expect(bytesToHex(auth.signature)).toBe(hs.auth_signature.value);
    expect(bytesToHex(auth.ephemeralPublicKeyHash!)).toBe(bytesToHex(keccak256(ephPubA)));
  });

  for (const name of ['auth2_eip8', 'auth3_eip8'] as const) {
    it(`decodes ${name}: version ${hs.packets[name].version}, extra elements ignored`, () => {
      const { plaintext, format } = read(hs.packets[name].hex, keyB, LEGACY_AUTH_SIZE);
      expect(format).toBe('eip8');
      const auth = decodeAuthBody(plaintext, format);
      expect(auth.version).toBe(hs.packets[name].version);
      expect(bytesToHex(auth.initiatorPublicKey)).toBe(bytesToHex(pubA));
      expect(bytesToHex(auth.nonce)).toBe(hs.nonce_a);
      expect(bytesToHex(auth.signature)).toBe(hs.auth_signature.value);
    });
  }

  it('decodes Ack1 (legacy), Ack2 and Ack3 with the initiator key', () => {
    for (const name of ['ack1_legacy', 'ack2_eip8', 'ack3_eip8'] as const) {
      const { plaintext, format } = read(hs.packets[name].hex, keyA, LEGACY_ACK_SIZE);
      expect(format).toBe(name === 'ack1_legacy' ? 'legacy' : 'eip8');
      const ack = decodeAckBody(plaintext, format);
      expect(bytesToHex(ack.ephemeralPublicKey)).toBe(bytesToHex(ephPubB));
      expect(bytesToHex(ack.nonce)).toBe(hs.nonce_b);
      expect(ack.version).toBe(hs.packets[name].version ?? 4);
    }
  });

  it('derives the published aes and mac secrets for (Auth2, Ack2) as B and the ingress MAC of "foo"', () => {
    const recipient = new RecipientHandshake(keyB, {
      ephemeralPrivateKey: h(hs.ephemeral_key_b),
      nonce: h(hs.nonce_b),
    });
    const queue = new ByteQueue();
    queue.push(h(hs.packets.auth2_eip8.hex));
    const result = recipient.readAuth(queue)!;
    const s = vectors.handshake.secrets_auth2_ack2_recipient_side;
    expect(result.format).toBe('eip8');
    expect(bytesToHex(result.secrets.remoteId)).toBe(bytesToHex(pubA));
    expect(bytesToHex(result.secrets.aesSecret)).toBe(s.aes_secret);
    expect(bytesToHex(result.secrets.macSecret)).toBe(s.mac_secret);
    result.secrets.ingressMac.update(utf8ToBytes('foo'));
    expect(bytesToHex(result.secrets.ingressMac.digest())).toBe(s.ingress_mac_after_foo);
  });

  it('replies to a legacy auth with a legacy ack that the initiator key decrypts', () => {
    const recipient = new RecipientHandshake(keyB);
    const queue = new ByteQueue();
    queue.push(h(hs.packets.auth1_legacy.hex));
    const result = recipient.readAuth(queue)!;
    expect(result.format).toBe('legacy');
    expect(result.ackPacket.length).toBe(LEGACY_ACK_SIZE);
    const ack = read(bytesToHex(result.ackPacket), keyA, LEGACY_ACK_SIZE);
    expect(ack.format).toBe('legacy');
  });

  it('parses the EIP-8 Hello (version 55, extra elements)', () => {
    const hello = decodeHello(h(vectors.devp2p_hello_eip8.hex));
    const want = vectors.devp2p_hello_eip8.decoded_computed;
    expect(hello.protocolVersion).toBe(55);
    expect(hello.clientId).toBe(want.client_id);
    expect(hello.capabilities).toEqual(
      want.capabilities.map(([name, version]: [string, number]) => ({ name, version })),
    );
    expect(hello.listenPort).toBe(want.listen_port);
    expect(bytesToHex(hello.nodeId)).toBe(want.node_id);
  });
});

describe('legacy handshake vectors (fjl gist) with Hello frames', () => {
  const g = vectors.legacy_fjl_gist;

  function secretsFor(initiator: boolean) {
    const auth = read(g.auth_ciphertext, h(g.receiver_private_key), LEGACY_AUTH_SIZE);
    const ack = read(g.authresp_ciphertext, h(g.initiator_private_key), LEGACY_ACK_SIZE);
    expect(bytesToHex(auth.plaintext)).toBe(g.auth_plaintext);
    expect(bytesToHex(ack.plaintext)).toBe(g.authresp_plaintext);
    const authMsg = decodeAuthBody(auth.plaintext, 'legacy');
    const ackMsg = decodeAckBody(ack.plaintext, 'legacy');
    return deriveSecrets({
      initiator,
      remoteId: initiator ? getPublicKey(h(g.receiver_private_key), 'raw') : authMsg.initiatorPublicKey,
      ephemeralPrivateKey: h(
        initiator ? g.initiator_ephemeral_private_key : g.receiver_ephemeral_private_key,
      ),
      remoteEphemeralPublicKey: initiator
        ? ackMsg.ephemeralPublicKey
        : getPublicKey(h(g.initiator_ephemeral_private_key), 'raw'),
      initiatorNonce: authMsg.nonce,
      recipientNonce: ackMsg.nonce,
      authPacket: auth.packet,
      ackPacket: ack.packet,
    });
  }

  it('decrypts both messages and derives aes, mac, and the initial MAC states', () => {
    const s = secretsFor(true);
    expect(bytesToHex(s.aesSecret)).toBe(g.aes_secret);
    expect(bytesToHex(s.macSecret)).toBe(g.mac_secret);
    expect(bytesToHex(s.egressMac.digest())).toBe(g.initial_egress_MAC);
    expect(bytesToHex(s.ingressMac.digest())).toBe(g.initial_ingress_MAC);
  });

  it('decrypts the initiator Hello frame as the receiver and the receiver Hello as the initiator', () => {
    const cases = [
      {
        secrets: secretsFor(false),
        packet: g.initiator_hello_packet,
        want: g.decoded_computed.initiator_hello,
      },
      { secrets: secretsFor(true), packet: g.receiver_hello_packet, want: g.decoded_computed.receiver_hello },
    ];
    for (const { secrets, packet, want } of cases) {
      const queue = new ByteQueue();
      queue.push(h(packet));
      const frame = FrameDecoder.fromSecrets(secrets).read(queue)!;
      expect(queue.length).toBe(0);
      expect(frame.length).toBe(79);
      expect(bytesToHex(frame)).toBe(want.body.slice(0, 158));
      const { code, payload } = splitFrame(frame);
      expect(code).toBe(0);
      const hello = decodeHello(payload);
      expect(hello.protocolVersion).toBe(3);
      expect(hello.nodeId.length).toBe(64);
    }
  });
});

describe('go-ethereum frame golden vector', () => {
  const g = vectors.frame_golden_geth;
  // go-ethereum's test uses a fake hash whose digest is always 32 bytes of 0x01.
  const fakeHash = (): MacHash => ({ update: () => undefined, digest: () => new Uint8Array(32).fill(1) });
  const secret = keccak256(new Uint8Array(0));

  it('encodes code 8 with payload c401020304 byte for byte', () => {
    const encoder = new FrameEncoder(
      createAesCtr(secret, new Uint8Array(16)),
      new RlpxMac(fakeHash(), secret),
    );
    const frame = encoder.encode(g.message.code, h(g.message.rlp_payload));
    expect(bytesToHex(frame)).toBe(g.hex);
  });

  it('decodes the golden frame', () => {
    const decoder = new FrameDecoder(
      createAesCtr(secret, new Uint8Array(16)),
      new RlpxMac(fakeHash(), secret),
    );
    const queue = new ByteQueue();
    queue.push(h(g.hex));
    const frame = decoder.read(queue)!;
    expect(bytesToHex(frame)).toBe(g.message.frame_content);
    expect(splitFrame(frame).code).toBe(8);
  });
});
