import { concatBytes, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  Discv5ErrorCode,
  decodeHandshakeAuthdata,
  decodeMessageAuthdata,
  decodeWhoareyouAuthdata,
  encodeHandshakeAuthdata,
  encodeMessageAuthdata,
  encodeWhoareyouAuthdata,
} from '../src/index.js';
import { discv5Failure } from './helpers.js';

const srcId = new Uint8Array(32).fill(0xaa);

describe('message authdata', () => {
  it('encodes a 32-byte src-id as itself and rejects 31 or 33 bytes', () => {
    expect(encodeMessageAuthdata(srcId)).toEqual(srcId);
    for (const size of [31, 33]) {
      expect(discv5Failure(() => encodeMessageAuthdata(new Uint8Array(size))).code).toBe(
        Discv5ErrorCode.BadAuthdata,
      );
    }
  });

  it('decoding the wrong size reports that size', () => {
    const err = discv5Failure(() => decodeMessageAuthdata(new Uint8Array(31)));
    expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    expect(err.details).toEqual({ size: 31 });
  });
});

describe('WHOAREYOU authdata', () => {
  it('is id-nonce || enr-seq as 8 big-endian bytes', () => {
    const idNonce = new Uint8Array(16).fill(3);
    expect(encodeWhoareyouAuthdata({ idNonce, enrSeq: 0x0102n })).toEqual(
      concatBytes(idNonce, hexToBytes('0000000000000102')),
    );
  });

  it('rejects an id-nonce that is not 16 bytes', () => {
    for (const size of [15, 17]) {
      const err = discv5Failure(() => encodeWhoareyouAuthdata({ idNonce: new Uint8Array(size), enrSeq: 0n }));
      expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    }
  });

  it('decoding the wrong size reports that size', () => {
    const err = discv5Failure(() => decodeWhoareyouAuthdata(new Uint8Array(25)));
    expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    expect(err.details).toEqual({ size: 25 });
  });
});

describe('handshake authdata', () => {
  const idSignature = new Uint8Array(64).fill(1);
  const ephemeralPublicKey = new Uint8Array(33).fill(2);

  it('is src-id || sig-size || key-size || sig || key || record', () => {
    const record = Uint8Array.of(0xc1, 0x80);
    expect(encodeHandshakeAuthdata({ srcId, idSignature, ephemeralPublicKey, record })).toEqual(
      concatBytes(srcId, Uint8Array.of(64, 33), idSignature, ephemeralPublicKey, record),
    );
  });

  it('rejects a src-id that is not 32 bytes', () => {
    const err = discv5Failure(() =>
      encodeHandshakeAuthdata({
        srcId: new Uint8Array(31),
        idSignature,
        ephemeralPublicKey,
        record: undefined,
      }),
    );
    expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
  });

  it('signature and key sizes fit one byte each: 255 is encoded, 256 is rejected', () => {
    const max = new Uint8Array(255);
    const over = new Uint8Array(256);
    const encoded = encodeHandshakeAuthdata({
      srcId,
      idSignature: max,
      ephemeralPublicKey: max,
      record: undefined,
    });
    expect(encoded.subarray(32, 34)).toEqual(Uint8Array.of(255, 255));
    for (const [sig, key] of [
      [over, ephemeralPublicKey],
      [idSignature, over],
    ] as const) {
      const err = discv5Failure(() =>
        encodeHandshakeAuthdata({ srcId, idSignature: sig, ephemeralPublicKey: key, record: undefined }),
      );
      expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    }
  });

  it('sizes running past the authdata are rejected with both sizes in details', () => {
    const head = concatBytes(srcId, Uint8Array.of(64, 33));
    const err = discv5Failure(() => decodeHandshakeAuthdata(concatBytes(head, new Uint8Array(96))));
    expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    expect(err.details).toEqual({ sigSize: 64, keySize: 33 });
    // Exactly sig + key, no record: accepted.
    expect(decodeHandshakeAuthdata(concatBytes(head, new Uint8Array(97))).record).toBeUndefined();
  });
});
