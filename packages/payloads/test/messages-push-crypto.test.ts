import { concatBytes } from '@status-ts/core';
import {
  aesGcmSeal,
  convertPublicKey,
  ecdhX,
  generatePrivateKey,
  getPublicKey,
  shake256,
} from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  decodePushNotificationRegistration,
  encodePushNotificationRegistration,
  hashPublicKey,
  openFromPeer,
  PayloadErrorCode,
  registrationRequestId,
  sealForPeer,
} from '../src/index.js';
import { codeOf } from './support/errors.js';

const client = generatePrivateKey();
const server = generatePrivateKey();
const clientPublic = getPublicKey(client);
const serverPublic = getPublicKey(server, 'compressed');

describe('push notification encryption (status-go protocol/common Encrypt)', () => {
  const registration = encodePushNotificationRegistration({
    tokenType: 'APN_TOKEN',
    deviceToken: 'device-token',
    installationId: '2ef7d1c6-2a4e-4b5a-9d1e-1d3c6c3f9a10',
    accessToken: '9b2f1a3e-7c4d-4e8f-a1b2-c3d4e5f60718',
    enabled: true,
    version: 1,
    allowedKeyList: [],
    blockedChatList: [],
    unregister: false,
    grant: new Uint8Array(65).fill(1), // the server checks it is a signature by the client (65 bytes)
    allowFromContactsOnly: false,
    apnTopic: '',
    blockMentions: false,
    allowedMentionsChatList: [],
  });

  it('the server opens what the client sealed to it, and gets the registration back', () => {
    const sealed = sealForPeer(registration, client, serverPublic);
    const opened = openFromPeer(sealed, server, clientPublic);
    expect(opened).toEqual(registration);
    expect(decodePushNotificationRegistration(opened).deviceToken).toBe('device-token');
  });

  it('the layout is nonce(12) ‖ AES-256-GCM(ECDH x) ciphertext ‖ tag, nonce first', () => {
    const nonce = new Uint8Array(12).fill(9);
    const sealed = sealForPeer(registration, client, serverPublic, nonce);
    const key = ecdhX(server, clientPublic);
    expect(sealed).toEqual(concatBytes(nonce, aesGcmSeal(key, nonce, registration)));
    expect(sealed.length).toBe(12 + registration.length + 16);
  });

  it('a wrong key, a changed byte or a short input is ERR_PAYLOAD_DECRYPTION_FAILED', () => {
    const sealed = sealForPeer(registration, client, serverPublic);
    expect(codeOf(() => openFromPeer(sealed, generatePrivateKey(), clientPublic))).toBe(
      PayloadErrorCode.DecryptionFailed,
    );
    const tampered = sealed.slice();
    tampered[20]! ^= 1;
    expect(codeOf(() => openFromPeer(tampered, server, clientPublic))).toBe(
      PayloadErrorCode.DecryptionFailed,
    );
    expect(codeOf(() => openFromPeer(sealed.subarray(0, 27), server, clientPublic))).toBe(
      PayloadErrorCode.DecryptionFailed,
    );
    expect(codeOf(() => sealForPeer(registration, client, new Uint8Array(33)))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
  });
});

describe('hashes', () => {
  it('hashPublicKey is SHAKE-256 (64 bytes) of the compressed key, whatever form it is given in', () => {
    const hash = hashPublicKey(clientPublic);
    expect(hash).toHaveLength(64);
    expect(hashPublicKey(convertPublicKey(clientPublic, 'compressed'))).toEqual(hash);
    expect(hash).toEqual(shake256(convertPublicKey(clientPublic, 'compressed'), 64));
    expect(hash).not.toEqual(shake256(clientPublic, 64));
    expect(codeOf(() => hashPublicKey(new Uint8Array(65)))).toBe(PayloadErrorCode.InvalidArgument);
  });

  it('the registration request id is SHAKE-256 (64 bytes) of the encrypted registration', () => {
    const sealed = sealForPeer(registration(), client, serverPublic);
    expect(registrationRequestId(sealed)).toEqual(shake256(sealed, 64));
  });
});

function registration(): Uint8Array {
  return Uint8Array.of(0x08, 0x01);
}
