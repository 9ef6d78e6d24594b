import { concatBytes, equalBytes } from '@status-ts/core';
import { createAesCtr } from '@status-ts/crypto';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import {
  MASKING_IV_SIZE,
  MAX_PACKET_SIZE,
  MIN_MESSAGE_PACKET_DATA,
  MIN_PACKET_SIZE,
  NONCE_SIZE,
  PacketFlag,
  PROTOCOL_ID,
  PROTOCOL_VERSION,
  STATIC_HEADER_SIZE,
} from './constants.js';

/** The fields of a packet header (before masking). */
export interface PacketHeader {
  flag: PacketFlag;
  /** 12-byte message nonce (for WHOAREYOU: the nonce of the packet it answers). */
  nonce: Uint8Array;
  authdata: Uint8Array;
}

/** A packet with its header unmasked. */
export interface DecodedPacket extends PacketHeader {
  maskingIv: Uint8Array;
  /**
   * `masking-iv || static-header || authdata`, unmasked: the AES-GCM associated data of the message, and
   * for WHOAREYOU the `challenge-data` of the handshake.
   */
  headerData: Uint8Array;
  /** Everything after authdata: the AES-GCM sealed message (empty for WHOAREYOU). */
  message: Uint8Array;
}

export interface PacketSizeLimits {
  maxPacketSize?: number;
  minPacketSize?: number;
}

/** `masking-iv || static-header || authdata`, unmasked (the AD for the message). */
export function encodeHeaderData(maskingIv: Uint8Array, header: PacketHeader): Uint8Array {
  if (maskingIv.length !== MASKING_IV_SIZE || header.nonce.length !== NONCE_SIZE) {
    throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'masking IV must be 16 bytes and nonce 12 bytes');
  }
  if (header.authdata.length > 0xffff) {
    throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'authdata larger than 65535 bytes');
  }
  const out = new Uint8Array(MASKING_IV_SIZE + STATIC_HEADER_SIZE + header.authdata.length);
  out.set(maskingIv, 0);
  let pos = MASKING_IV_SIZE;
  out.set(PROTOCOL_ID, pos);
  pos += PROTOCOL_ID.length;
  out[pos++] = PROTOCOL_VERSION >> 8;
  out[pos++] = PROTOCOL_VERSION & 0xff;
  out[pos++] = header.flag;
  out.set(header.nonce, pos);
  pos += NONCE_SIZE;
  out[pos++] = header.authdata.length >> 8;
  out[pos++] = header.authdata.length & 0xff;
  out.set(header.authdata, pos);
  return out;
}

/** AES-128-CTR keyed with the first 16 bytes of the destination node id, IV = masking IV. */
function mask(destId: Uint8Array, maskingIv: Uint8Array, data: Uint8Array): Uint8Array {
  return createAesCtr(destId.subarray(0, 16), maskingIv).update(data);
}

/**
 * Builds the wire packet from unmasked header data (from `encodeHeaderData`) and the sealed message:
 * `masking-iv || aesctr(dest-id[:16], masking-iv, header) || message`. Throws ERR_DISCV5_PACKET_TOO_LARGE
 * above `maxPacketSize`.
 */
export function encodePacket(
  destId: Uint8Array,
  headerData: Uint8Array,
  message: Uint8Array,
  maxPacketSize = MAX_PACKET_SIZE,
): Uint8Array {
  const size = headerData.length + message.length;
  if (size > maxPacketSize) {
    throw new Discv5Error(
      Discv5ErrorCode.PacketTooLarge,
      `packet of ${size} bytes exceeds ${maxPacketSize}`,
      {
        details: { size, limit: maxPacketSize },
      },
    );
  }
  const maskingIv = headerData.subarray(0, MASKING_IV_SIZE);
  return concatBytes(maskingIv, mask(destId, maskingIv, headerData.subarray(MASKING_IV_SIZE)), message);
}

/**
 * Unmasks and checks a packet addressed to `localId`: size limits, protocol id, version, flag, authdata size.
 * Throws only Discv5Error. The message part is returned sealed; nothing here needs keys.
 */
export function decodePacket(
  localId: Uint8Array,
  bytes: Uint8Array,
  limits: PacketSizeLimits = {},
): DecodedPacket {
  const maxSize = limits.maxPacketSize ?? MAX_PACKET_SIZE;
  // Whatever the configured minimum, the masking IV and static header must be there to read.
  const minSize = Math.max(limits.minPacketSize ?? MIN_PACKET_SIZE, MASKING_IV_SIZE + STATIC_HEADER_SIZE);
  if (bytes.length > maxSize) {
    throw new Discv5Error(
      Discv5ErrorCode.PacketTooLarge,
      `packet of ${bytes.length} bytes exceeds ${maxSize}`,
      {
        details: { size: bytes.length, limit: maxSize },
      },
    );
  }
  if (bytes.length < minSize) {
    throw new Discv5Error(
      Discv5ErrorCode.PacketTooSmall,
      `packet of ${bytes.length} bytes is below ${minSize}`,
      {
        details: { size: bytes.length, limit: minSize },
      },
    );
  }
  const maskingIv = bytes.slice(0, MASKING_IV_SIZE);
  const ctr = createAesCtr(localId.subarray(0, 16), maskingIv);
  const staticHeader = ctr.update(bytes.subarray(MASKING_IV_SIZE, MASKING_IV_SIZE + STATIC_HEADER_SIZE));
  if (!equalBytes(staticHeader.subarray(0, PROTOCOL_ID.length), PROTOCOL_ID)) {
    throw new Discv5Error(
      Discv5ErrorCode.BadHeader,
      'protocol id is not "discv5" (not for us, or not discv5)',
    );
  }
  const version = (staticHeader[6]! << 8) | staticHeader[7]!;
  if (version !== PROTOCOL_VERSION) {
    throw new Discv5Error(Discv5ErrorCode.BadHeader, `unsupported protocol version ${version}`, {
      details: { version },
    });
  }
  const flag = staticHeader[8]!;
  if (flag !== PacketFlag.Message && flag !== PacketFlag.Whoareyou && flag !== PacketFlag.Handshake) {
    throw new Discv5Error(Discv5ErrorCode.BadFlag, `unknown packet flag ${flag}`, { details: { flag } });
  }
  const nonce = staticHeader.slice(9, 9 + NONCE_SIZE);
  const authdataSize = (staticHeader[21]! << 8) | staticHeader[22]!;
  const remaining = bytes.length - MASKING_IV_SIZE - STATIC_HEADER_SIZE;
  if (flag !== PacketFlag.Whoareyou && remaining < MIN_MESSAGE_PACKET_DATA) {
    throw new Discv5Error(Discv5ErrorCode.PacketTooSmall, 'message packet too short for src-id and tag', {
      details: { size: bytes.length },
    });
  }
  if (authdataSize > remaining) {
    throw new Discv5Error(Discv5ErrorCode.BadAuthdata, `authdata size ${authdataSize} runs past the packet`, {
      details: { authdataSize, remaining },
    });
  }
  const headerEnd = MASKING_IV_SIZE + STATIC_HEADER_SIZE + authdataSize;
  const authdata = ctr.update(bytes.subarray(MASKING_IV_SIZE + STATIC_HEADER_SIZE, headerEnd));
  const headerData = concatBytes(maskingIv, staticHeader, authdata);
  return {
    flag: flag as PacketFlag,
    nonce,
    authdata,
    maskingIv,
    headerData,
    message: bytes.slice(headerEnd),
  };
}
