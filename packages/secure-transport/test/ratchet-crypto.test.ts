import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  deriveMessageKeys,
  encodeRatchetHeader,
  kdfCk,
  kdfRk,
  openWithMessageKey,
  RATCHET_OVERHEAD,
  SecureTransportError,
  SecureTransportErrorCode,
  sealWithMessageKey,
} from '../src/index.js';
import { hex, vectors } from './helpers/vectors.js';

// secure-transport.json double_ratchet.computed_from_definitions: no upstream test asserts DR outputs, so
// these are regression values derived from status-im/doubleratchet + EthereumCrypto definitions.
const c = vectors.double_ratchet.computed_from_definitions;

describe('ratchet KDFs and message encryption (computed vectors)', () => {
  it('KDF_RK: HKDF-SHA256 -> root || chain || header key', () => {
    const out = kdfRk(hex(c.kdf_rk.rk), hex(c.kdf_rk.dh_out));
    expect(bytesToHex(out.rootKey)).toBe(c.kdf_rk.root_key);
    expect(bytesToHex(out.chainKey)).toBe(c.kdf_rk.chain_key);
    expect(bytesToHex(out.headerKey)).toBe(c.kdf_rk.header_key);
  });

  it('KDF_CK: HMAC(ck, 0x0f) and HMAC(ck, 0x10)', () => {
    const out = kdfCk(hex(c.kdf_ck.ck));
    expect(bytesToHex(out.chainKey)).toBe(c.kdf_ck.next_chain_key);
    expect(bytesToHex(out.messageKey)).toBe(c.kdf_ck.message_key);
  });

  it('message keys: enc key, auth key, IV', () => {
    const out = deriveMessageKeys(hex(c.derive_enc_keys.mk));
    expect(bytesToHex(out.encKey)).toBe(c.derive_enc_keys.enc_key);
    expect(bytesToHex(out.authKey)).toBe(c.derive_enc_keys.auth_key);
    expect(bytesToHex(out.iv)).toBe(c.derive_enc_keys.iv);
  });

  it('encrypt without AD', () => {
    const v = c.encrypt_no_ad;
    const sealed = sealWithMessageKey(hex(v.mk), utf8ToBytes(v.plaintext_utf8), new Uint8Array(0));
    expect(bytesToHex(sealed)).toBe(v.output);
    expect(openWithMessageKey(hex(v.mk), sealed, new Uint8Array(0))).toEqual(utf8ToBytes(v.plaintext_utf8));
  });

  it('encrypt with the header as AD: N LE32 || PN LE32 || DH', () => {
    const v = c.encrypt_with_header_ad;
    const ad = encodeRatchetHeader({ dh: hex(v.header.dh), n: v.header.n, pn: v.header.pn });
    expect(bytesToHex(ad)).toBe(v.ad);
    expect(bytesToHex(sealWithMessageKey(hex(v.mk), utf8ToBytes(v.plaintext_utf8), ad))).toBe(v.output);
  });

  it('any flipped bit, truncation or wrong AD gives ERR_ST_DECRYPT_FAILED', () => {
    const v = c.encrypt_with_header_ad;
    const sealed = hex(v.output);
    const ad = hex(v.ad);
    const failures: Uint8Array[] = [sealed.subarray(0, 47), sealed.subarray(0, sealed.length - 1)];
    for (let i = 0; i < sealed.length; i++) {
      const t = sealed.slice();
      t[i]! ^= 1 << (i % 8);
      failures.push(t);
    }
    for (const bad of failures) {
      expect(() => openWithMessageKey(hex(v.mk), bad, ad)).toThrowError(
        expect.objectContaining({ code: SecureTransportErrorCode.DecryptFailed }),
      );
    }
    expect(() => openWithMessageKey(hex(v.mk), sealed, ad.subarray(1))).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.DecryptFailed }),
    );
  });
});

describe('ratchet ciphertext length', () => {
  it('RATCHET_OVERHEAD is IV + tag (48); one byte less is DecryptFailed with length and minimum', () => {
    expect(RATCHET_OVERHEAD).toBe(16 + 32);
    const mk = new Uint8Array(32).fill(7);
    expect(sealWithMessageKey(mk, new Uint8Array(0), new Uint8Array(0))).toHaveLength(RATCHET_OVERHEAD);
    let err: unknown;
    try {
      openWithMessageKey(mk, new Uint8Array(RATCHET_OVERHEAD - 1), new Uint8Array(0));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecureTransportError);
    expect(err).toMatchObject({
      code: SecureTransportErrorCode.DecryptFailed,
      details: { length: RATCHET_OVERHEAD - 1, minimum: RATCHET_OVERHEAD },
    });
    // At the minimum length the tag is checked (and fails here): no length details.
    expect(() => openWithMessageKey(mk, new Uint8Array(RATCHET_OVERHEAD), new Uint8Array(0))).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.DecryptFailed, details: undefined }),
    );
  });
});
