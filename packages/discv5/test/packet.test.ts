import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  Discv5ErrorCode,
  decodeHandshakeAuthdata,
  decodeMessageAuthdata,
  decodePacket,
  decodeWhoareyouAuthdata,
  encodeHandshakeAuthdata,
  encodeHeaderData,
  encodeMessagePacket,
  encodePacket,
  encodeRandomPacket,
  encodeWhoareyouPacket,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
  PacketFlag,
} from '../src/index.js';

const destId = hexToBytes('bbbb9d047f0488c0b5a93c1c3f2d8bafc7c8ff337024a55434a0d0555de64db9');
const srcId = hexToBytes('aaaa8419e9f49d0083561b48287df592939a8d19947d8c0ef88f2a4856a69fbb');
const iv = new Uint8Array(16).fill(7);
const nonce = new Uint8Array(12).fill(9);

function rawPacket(
  flag: number,
  authdata: Uint8Array,
  message = new Uint8Array(0),
  protocol = 'discv5',
  version = 1,
) {
  const header = encodeHeaderData(iv, { flag: 0, nonce, authdata });
  header.set(new TextEncoder().encode(protocol), 16);
  header[22] = version >> 8;
  header[23] = version & 0xff;
  header[24] = flag;
  return encodePacket(destId, header, message, 1 << 16);
}

describe('packet header codec', () => {
  it('masks the header with dest-id[:16] and round-trips every field', () => {
    const packet = encodeRandomPacket({
      srcId,
      destId,
      nonce,
      maskingIv: iv,
      random: new Uint8Array(20).fill(1),
    });
    expect(bytesToHex(packet.subarray(0, 16))).toBe(bytesToHex(iv));
    expect(packet.subarray(16, 22)).not.toEqual(new TextEncoder().encode('discv5')); // masked
    const decoded = decodePacket(destId, packet);
    expect(decoded.flag).toBe(PacketFlag.Message);
    expect(decoded.nonce).toEqual(nonce);
    expect(decodeMessageAuthdata(decoded.authdata)).toEqual(srcId);
    expect(decoded.message).toEqual(new Uint8Array(20).fill(1));
    expect(decoded.headerData.length).toBe(16 + 23 + 32);
  });

  it('a packet for someone else does not unmask ("not discv5")', () => {
    const packet = encodeRandomPacket({ srcId, destId, nonce, maskingIv: iv, random: new Uint8Array(20) });
    expect(() => decodePacket(srcId, packet)).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadHeader }),
    );
  });

  it('rejects a wrong version, an unknown flag and authdata running past the end', () => {
    const auth = new Uint8Array(32);
    expect(() => decodePacket(destId, rawPacket(0, auth, new Uint8Array(16), 'discv5', 2))).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadHeader }),
    );
    expect(() => decodePacket(destId, rawPacket(3, auth, new Uint8Array(16)))).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadFlag }),
    );
    const header = encodeHeaderData(iv, { flag: PacketFlag.Whoareyou, nonce, authdata: new Uint8Array(24) });
    header[37] = 0;
    header[38] = 200; // authdata-size 200 > what follows
    expect(() => decodePacket(destId, encodePacket(destId, header, new Uint8Array(0)))).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadAuthdata }),
    );
  });

  it('limit MIN_PACKET_SIZE (63): shorter datagrams are rejected, a 63-byte WHOAREYOU is accepted', () => {
    const { packet } = encodeWhoareyouPacket({
      destId,
      nonce,
      idNonce: new Uint8Array(16),
      enrSeq: 5n,
      maskingIv: iv,
    });
    expect(packet.length).toBe(MIN_PACKET_SIZE);
    expect(decodeWhoareyouAuthdata(decodePacket(destId, packet).authdata).enrSeq).toBe(5n);
    expect(() => decodePacket(destId, packet.subarray(0, 62))).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.PacketTooSmall }),
    );
    // Overridable: a node configured with a larger minimum refuses the 63-byte packet.
    expect(() => decodePacket(destId, packet, { minPacketSize: 64 })).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.PacketTooSmall }),
    );
  });

  it('message packets need room for src-id and the GCM tag (87 bytes)', () => {
    const ok = rawPacket(0, new Uint8Array(32), new Uint8Array(16));
    expect(ok.length).toBe(87);
    expect(decodePacket(destId, ok).flag).toBe(0);
    const short = rawPacket(0, new Uint8Array(32), new Uint8Array(15));
    expect(() => decodePacket(destId, short)).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.PacketTooSmall }),
    );
  });

  it('limit MAX_PACKET_SIZE (1280): larger packets are neither built nor accepted', () => {
    const key = new Uint8Array(16);
    const fits = encodeMessagePacket({
      srcId,
      destId,
      key,
      nonce,
      maskingIv: iv,
      plaintext: new Uint8Array(1280 - 87),
    });
    expect(fits.length).toBe(MAX_PACKET_SIZE);
    expect(decodePacket(destId, fits).message.length).toBe(1280 - 71);
    expect(() =>
      encodeMessagePacket({ srcId, destId, key, nonce, maskingIv: iv, plaintext: new Uint8Array(1280 - 86) }),
    ).toThrowError(expect.objectContaining({ code: Discv5ErrorCode.PacketTooLarge }));
    expect(() => decodePacket(destId, concatBytes(fits, new Uint8Array(1)))).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.PacketTooLarge }),
    );
    expect(() => decodePacket(destId, fits, { maxPacketSize: 1000 })).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.PacketTooLarge }),
    );
  });
});

describe('authdata codecs', () => {
  it('handshake authdata round-trips with and without a record', () => {
    const auth = {
      srcId,
      idSignature: randomBytes(64),
      ephemeralPublicKey: randomBytes(33),
      record: randomBytes(100),
    };
    expect(decodeHandshakeAuthdata(encodeHandshakeAuthdata(auth))).toEqual(auth);
    const noRecord = { ...auth, record: undefined };
    expect(decodeHandshakeAuthdata(encodeHandshakeAuthdata(noRecord))).toEqual(noRecord);
  });

  it('rejects wrong sizes', () => {
    const bad = (fn: () => unknown) =>
      expect(fn).toThrowError(expect.objectContaining({ code: Discv5ErrorCode.BadAuthdata }));
    bad(() => decodeMessageAuthdata(new Uint8Array(31)));
    bad(() => decodeWhoareyouAuthdata(new Uint8Array(25)));
    bad(() => decodeHandshakeAuthdata(new Uint8Array(33)));
    const head = new Uint8Array(34);
    head[32] = 64;
    head[33] = 33;
    bad(() => decodeHandshakeAuthdata(concatBytes(head, new Uint8Array(96))));
  });
});
