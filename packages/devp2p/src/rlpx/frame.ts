import { constantTimeEqual } from '@status-ts/core';
import { createAesCtr } from '@status-ts/crypto';
import { DEFAULT_MAX_FRAME_SIZE, MAX_UINT24 } from '../constants.js';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { ByteQueue } from './byte-queue.js';
import { RlpxMac } from './mac.js';
import type { RlpxSecrets } from './secrets.js';

// RLPx framing (checklist RLPX-07): enc(header 16) || header-mac || enc(rlp(code) || payload || pad16) ||
// frame-mac, one continuous AES-256-CTR keystream per direction with an all-zero IV.

const HEADER_DATA = [0xc2, 0x80, 0x80]; // rlp([0, 0]): capability-id and context-id, unused
const ZERO_IV = new Uint8Array(16);
// Stryker disable next-line ArithmeticOperator: the cap only decides whether the encoder reuses its scratch buffer or allocates one; the frame bytes are the same.
const MAX_RETAINED_SCRATCH = 256 * 1024;

interface CtrStream {
  update(data: Uint8Array): Uint8Array;
}

function padded(size: number): number {
  return (size + 15) & ~15;
}

/** Bytes of rlp(code) for a message id. */
export function messageCodeLength(code: number): number {
  if (code < 0x80) return 1;
  return code < 0x100 ? 2 : code < 0x1_00_00 ? 3 : code < 0x1_00_00_00 ? 4 : 5;
}

function writeMessageCode(out: Uint8Array, at: number, code: number): void {
  if (code === 0) {
    out[at] = 0x80;
    return;
  }
  if (code < 0x80) {
    out[at] = code;
    return;
  }
  const n = messageCodeLength(code) - 1;
  out[at] = 0x80 + n;
  for (let i = n; i >= 1; i--, code = Math.floor(code / 256)) out[at + i] = code & 0xff;
}

/** Splits a decrypted frame into its message id (canonical RLP integer, at most 4 bytes) and payload. */
export function splitFrame(frame: Uint8Array): { code: number; payload: Uint8Array } {
  const first = frame[0];
  if (first === undefined) throw new Devp2pError(Devp2pErrorCode.BadFrame, 'empty frame');
  if (first < 0x80) {
    if (first === 0) throw new Devp2pError(Devp2pErrorCode.BadFrame, 'non-canonical message id 0x00');
    return { code: first, payload: frame.subarray(1) };
  }
  const n = first - 0x80;
  if (n > 4 || frame.length < 1 + n) {
    throw new Devp2pError(Devp2pErrorCode.BadFrame, 'message id is not an RLP integer of at most 4 bytes');
  }
  if (n > 0 && (frame[1] === 0 || (n === 1 && frame[1]! < 0x80))) {
    throw new Devp2pError(Devp2pErrorCode.BadFrame, 'non-canonical message id');
  }
  let code = 0;
  for (let i = 1; i <= n; i++) code = code * 256 + frame[i]!;
  return { code, payload: frame.subarray(1 + n) };
}

/** Egress half of a session: turns messages into frames. */
export class FrameEncoder {
  readonly #aes: CtrStream;
  readonly #mac: RlpxMac;
  /** Plaintext scratch (header + body), reused: the cipher returns a fresh ciphertext. */
  #plain = new Uint8Array(1024);

  constructor(aes: CtrStream, mac: RlpxMac) {
    this.#aes = aes;
    this.#mac = mac;
  }

  /** Scratch space of `n` bytes: reused up to 256 KiB, so a rare huge message does not stay allocated. */
  #scratch(n: number): Uint8Array {
    if (n > MAX_RETAINED_SCRATCH) return new Uint8Array(n);
    if (this.#plain.length < n) {
      // Stryker disable next-line ArithmeticOperator: the growth factor is a performance choice; any size >= n serves.
      const grown = Math.max(n, 2 * this.#plain.length);
      // Stryker disable next-line MethodExpression: a larger buffer than the cap only costs memory; the frame bytes are the same.
      this.#plain = new Uint8Array(Math.min(MAX_RETAINED_SCRATCH, grown));
    }
    return this.#plain.subarray(0, n);
  }

  static fromSecrets(secrets: RlpxSecrets): FrameEncoder {
    return new FrameEncoder(
      createAesCtr(secrets.aesSecret, ZERO_IV),
      new RlpxMac(secrets.egressMac, secrets.macSecret),
    );
  }

  /** One frame carrying `rlp(code) || payload`, ready for the socket. */
  encode(code: number, payload: Uint8Array): Uint8Array {
    const codeLength = messageCodeLength(code);
    const size = codeLength + payload.length;
    if (size > MAX_UINT24) {
      throw new Devp2pError(Devp2pErrorCode.FrameTooLarge, `frame of ${size} bytes exceeds 2^24 - 1`, {
        details: { size, limit: MAX_UINT24 },
      });
    }
    const bodySize = padded(size);
    const plain = this.#scratch(16 + bodySize);
    plain[0] = size >>> 16;
    plain[1] = (size >>> 8) & 0xff;
    plain[2] = size & 0xff;
    plain.set(HEADER_DATA, 3);
    plain.fill(0, 6, 16);
    writeMessageCode(plain, 16, code);
    plain.set(payload, 16 + codeLength);
    plain.fill(0, 16 + size);
    const cipher = this.#aes.update(plain);
    const out = new Uint8Array(32 + bodySize + 16);
    const headerCt = cipher.subarray(0, 16);
    const bodyCt = cipher.subarray(16);
    out.set(headerCt, 0);
    out.set(this.#mac.header(headerCt), 16);
    out.set(bodyCt, 32);
    out.set(this.#mac.frame(bodyCt), 32 + bodySize);
    return out;
  }
}

/**
 * Called with the size a verified header declares, before any byte of its body is waited for: throwing
 * refuses the frame (a stricter limit than the decoder's own, e.g. before the Hello).
 */
export type FrameHeaderCheck = (size: number) => void;

/** Ingress half of a session: verifies and decrypts frames from a byte queue. */
export class FrameDecoder {
  readonly #aes: CtrStream;
  readonly #mac: RlpxMac;
  readonly #maxFrameSize: number;
  readonly #onHeader: FrameHeaderCheck | undefined;
  #frameSize = -1; // -1 while waiting for a header

  constructor(
    aes: CtrStream,
    mac: RlpxMac,
    maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
    onHeader?: FrameHeaderCheck,
  ) {
    this.#aes = aes;
    this.#mac = mac;
    this.#maxFrameSize = maxFrameSize;
    this.#onHeader = onHeader;
  }

  static fromSecrets(secrets: RlpxSecrets, maxFrameSize?: number, onHeader?: FrameHeaderCheck): FrameDecoder {
    return new FrameDecoder(
      createAesCtr(secrets.aesSecret, ZERO_IV),
      new RlpxMac(secrets.ingressMac, secrets.macSecret),
      maxFrameSize,
      onHeader,
    );
  }

  /** Bytes the next step needs in the queue (header or body), for callers that want to wait. */
  get pendingSize(): number {
    return this.#frameSize < 0 ? 32 : padded(this.#frameSize) + 16;
  }

  /**
   * The next frame's `rlp(code) || payload`, or undefined when the queue holds no complete frame.
   * MACs are checked before anything is decrypted; any failure is fatal for the session.
   */
  read(queue: ByteQueue): Uint8Array | undefined {
    if (this.#frameSize < 0) {
      if (queue.length < 32) return undefined;
      const header = queue.peek(32);
      const headerCt = header.subarray(0, 16);
      if (!constantTimeEqual(this.#mac.header(headerCt), header.subarray(16, 32))) {
        throw new Devp2pError(Devp2pErrorCode.BadMac, 'bad header MAC');
      }
      const plain = this.#aes.update(headerCt);
      const size = (plain[0]! << 16) | (plain[1]! << 8) | plain[2]!;
      if (size > this.#maxFrameSize) {
        throw new Devp2pError(
          Devp2pErrorCode.FrameTooLarge,
          `frame of ${size} bytes exceeds the limit of ${this.#maxFrameSize}`,
          { details: { size, limit: this.#maxFrameSize } },
        );
      }
      this.#onHeader?.(size);
      queue.skip(32);
      this.#frameSize = size;
    }
    const bodySize = padded(this.#frameSize);
    if (queue.length < bodySize + 16) return undefined;
    const body = queue.peek(bodySize + 16);
    const bodyCt = body.subarray(0, bodySize);
    if (!constantTimeEqual(this.#mac.frame(bodyCt), body.subarray(bodySize))) {
      throw new Devp2pError(Devp2pErrorCode.BadMac, 'bad frame MAC');
    }
    const plain = this.#aes.update(bodyCt);
    queue.skip(bodySize + 16);
    const size = this.#frameSize;
    this.#frameSize = -1;
    return plain.subarray(0, size);
  }
}
