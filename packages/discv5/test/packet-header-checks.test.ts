import { concatBytes, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  Discv5ErrorCode,
  decodePacket,
  encodeHandshakePacket,
  encodeHeaderData,
  encodePacket,
  PacketFlag,
} from '../src/index.js';
import { discv5Failure } from './helpers.js';

const destId = hexToBytes('bbbb9d047f0488c0b5a93c1c3f2d8bafc7c8ff337024a55434a0d0555de64db9');
const iv = new Uint8Array(16).fill(7);
const nonce = new Uint8Array(12).fill(9);

/** A masked packet from unmasked header bytes edited by `edit` (offsets into masking-iv || static-header). */
function packetWith(edit: (header: Uint8Array) => void, authdata: Uint8Array, message = new Uint8Array(16)) {
  const header = encodeHeaderData(iv, { flag: PacketFlag.Message, nonce, authdata });
  edit(header);
  return encodePacket(destId, header, message, 1 << 16);
}

describe('header data encoding', () => {
  it('is masking-iv || "discv5" || version 1 || flag || nonce || authdata-size || authdata', () => {
    const authdata = Uint8Array.of(1, 2, 3);
    expect(encodeHeaderData(iv, { flag: PacketFlag.Handshake, nonce, authdata })).toEqual(
      concatBytes(iv, utf8ToBytes('discv5'), Uint8Array.of(0, 1, 2), nonce, Uint8Array.of(0, 3), authdata),
    );
  });

  it('rejects a masking IV other than 16 bytes and a nonce other than 12 bytes, each alone', () => {
    const authdata = new Uint8Array(0);
    const badIv = discv5Failure(() => encodeHeaderData(new Uint8Array(15), { flag: 0, nonce, authdata }));
    expect(badIv.code).toBe(Discv5ErrorCode.InvalidArgument);
    const badNonce = discv5Failure(() =>
      encodeHeaderData(iv, { flag: 0, nonce: new Uint8Array(11), authdata }),
    );
    expect(badNonce.code).toBe(Discv5ErrorCode.InvalidArgument);
  });

  it('authdata of 65535 bytes fits the 2-byte size field, 65536 does not', () => {
    const max = encodeHeaderData(iv, { flag: 0, nonce, authdata: new Uint8Array(0xffff) });
    expect(max.subarray(37, 39)).toEqual(Uint8Array.of(0xff, 0xff));
    const err = discv5Failure(() =>
      encodeHeaderData(iv, { flag: 0, nonce, authdata: new Uint8Array(0x10000) }),
    );
    expect(err.code).toBe(Discv5ErrorCode.InvalidArgument);
  });
});

describe('packet size limits report size and limit', () => {
  it('encodePacket above maxPacketSize', () => {
    const header = encodeHeaderData(iv, { flag: 0, nonce, authdata: new Uint8Array(32) });
    const err = discv5Failure(() => encodePacket(destId, header, new Uint8Array(30), 100));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooLarge);
    expect(err.details).toEqual({ size: 101, limit: 100 });
  });

  it('encodeHandshakePacket honours its maxPacketSize option', () => {
    const input = {
      destId,
      authdata: new Uint8Array(34 + 64 + 33),
      key: new Uint8Array(16),
      plaintext: new Uint8Array(10),
      nonce,
      maskingIv: iv,
    };
    const size = encodeHandshakePacket(input).length;
    expect(encodeHandshakePacket({ ...input, maxPacketSize: size }).length).toBe(size);
    const err = discv5Failure(() => encodeHandshakePacket({ ...input, maxPacketSize: size - 1 }));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooLarge);
    expect(err.details).toEqual({ size, limit: size - 1 });
  });

  it('decodePacket above maxPacketSize', () => {
    const err = discv5Failure(() => decodePacket(destId, new Uint8Array(101), { maxPacketSize: 100 }));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooLarge);
    expect(err.details).toEqual({ size: 101, limit: 100 });
  });

  it('decodePacket below minPacketSize', () => {
    const err = discv5Failure(() => decodePacket(destId, new Uint8Array(62)));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooSmall);
    expect(err.details).toEqual({ size: 62, limit: 63 });
  });

  it('a minPacketSize below 39 still needs masking-iv and static header (16 + 23 bytes)', () => {
    const whoareyou = packetWith((h) => {
      h[24] = PacketFlag.Whoareyou;
    }, new Uint8Array(0));
    expect(whoareyou.length).toBe(39 + 16);
    const bare = whoareyou.subarray(0, 39);
    expect(decodePacket(destId, bare, { minPacketSize: 0 }).flag).toBe(PacketFlag.Whoareyou);
    const err = discv5Failure(() => decodePacket(destId, bare.subarray(0, 38), { minPacketSize: 0 }));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooSmall);
    expect(err.details).toEqual({ size: 38, limit: 39 });
  });
});

describe('header checks on decode', () => {
  const auth = new Uint8Array(32);

  it('a header that unmasks to another protocol id is ERR_DISCV5_BAD_HEADER even with version 1', () => {
    const packet = packetWith((h) => h.set(utf8ToBytes('discv4'), 16), auth);
    expect(discv5Failure(() => decodePacket(destId, packet)).code).toBe(Discv5ErrorCode.BadHeader);
  });

  it('an unsupported version is reported in details', () => {
    const packet = packetWith((h) => {
      h[23] = 2;
    }, auth);
    const err = discv5Failure(() => decodePacket(destId, packet));
    expect(err.code).toBe(Discv5ErrorCode.BadHeader);
    expect(err.details).toEqual({ version: 2 });
  });

  it('an unknown flag is reported in details', () => {
    const packet = packetWith((h) => {
      h[24] = 3;
    }, auth);
    const err = discv5Failure(() => decodePacket(destId, packet));
    expect(err.code).toBe(Discv5ErrorCode.BadFlag);
    expect(err.details).toEqual({ flag: 3 });
  });

  it('a message packet without room for src-id and tag reports its size', () => {
    const packet = packetWith(() => {}, auth, new Uint8Array(15));
    const err = discv5Failure(() => decodePacket(destId, packet));
    expect(err.code).toBe(Discv5ErrorCode.PacketTooSmall);
    expect(err.details).toEqual({ size: 86 });
  });

  it('an authdata-size past the end reports the size and what remains', () => {
    const packet = packetWith((h) => {
      h[37] = 0;
      h[38] = 200;
    }, auth);
    const err = discv5Failure(() => decodePacket(destId, packet));
    expect(err.code).toBe(Discv5ErrorCode.BadAuthdata);
    expect(err.details).toEqual({ authdataSize: 200, remaining: 48 });
  });
});
