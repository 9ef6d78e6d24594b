import { compareBytes, concatBytes } from '@status-ts/core';
import { EnrError, EnrErrorCode, type RlpError } from '../errors.js';
import {
  type RlpInput,
  type RlpItem,
  rlpDecode,
  rlpDecodeHeader,
  rlpEncode,
  rlpListHeader,
  rlpToBigInt,
} from '../rlp/index.js';

/** EIP-778: the encoded record must not exceed 300 bytes. Overridable per call, for tests and experiments. */
export const ENR_MAX_SIZE = 300;

/** `seq` is an unsigned 64-bit integer. */
export const ENR_MAX_SEQ = (1n << 64n) - 1n;

/** One key/value pair; values may be byte strings or lists (geth's `eth` entry is a list). */
export interface EnrPair {
  readonly key: Uint8Array;
  readonly value: RlpItem;
}

/** The structure of a record before any identity scheme looks at it. */
export interface RecordContent {
  signature: Uint8Array;
  seq: bigint;
  /** Sorted, unique keys. */
  pairs: EnrPair[];
  /** RLP `[seq, k1, v1, ...]`: the bytes whose Keccak-256 the identity scheme signs. */
  signedContent: Uint8Array;
}

export function assertSize(size: number, maxSize: number): void {
  if (size > maxSize) {
    throw new EnrError(EnrErrorCode.TooLarge, `record is ${size} bytes, more than ${maxSize}`, {
      details: { size, maxSize },
    });
  }
}

export function assertSeq(seq: bigint): void {
  if (seq < 0n || seq > ENR_MAX_SEQ) {
    throw new EnrError(EnrErrorCode.InvalidSeq, `seq ${seq} is not an unsigned 64-bit integer`);
  }
}

/** Orders pairs bytewise by key and rejects repeated keys (ERR_ENR_UNSORTED_KEYS / ERR_ENR_DUPLICATE_KEY). */
export function checkKeyOrder(pairs: readonly EnrPair[]): void {
  for (let i = 1; i < pairs.length; i++) {
    const order = compareBytes(pairs[i - 1]!.key, pairs[i]!.key);
    if (order === 0) {
      throw new EnrError(EnrErrorCode.DuplicateKey, 'record contains a duplicate key', {
        details: { index: i },
      });
    }
    // Stryker disable next-line EqualityOperator: order 0 threw just above.
    if (order > 0) {
      throw new EnrError(EnrErrorCode.UnsortedKeys, 'record keys are not sorted', { details: { index: i } });
    }
  }
}

/** RLP `[seq, k1, v1, ...]`. */
export function encodeSignedContent(seq: bigint, pairs: readonly EnrPair[]): Uint8Array {
  const items: RlpInput[] = [seq];
  for (const { key, value } of pairs) items.push(key, value);
  return rlpEncode(items);
}

/** RLP `[signature, seq, k1, v1, ...]`. */
export function encodeRecord(signature: Uint8Array, seq: bigint, pairs: readonly EnrPair[]): Uint8Array {
  const items: RlpInput[] = [signature, seq];
  for (const { key, value } of pairs) items.push(key, value);
  return rlpEncode(items);
}

/**
 * Decodes the generic record structure (go-ethereum's `enr.Record.DecodeRLP`): a list of at least signature and
 * seq, complete key/value pairs, byte-string keys sorted and unique, seq a canonical uint64. Signature and
 * identity are left to the scheme. Values are views into `bytes`.
 */
export function decodeRecordRlp(bytes: Uint8Array, options: { maxSize?: number } = {}): RecordContent {
  assertSize(bytes.length, options.maxSize ?? ENR_MAX_SIZE);
  const list = rlpDecode(bytes);
  if (list instanceof Uint8Array) throw new EnrError(EnrErrorCode.NotAList, 'record is not an RLP list');
  if (list.length < 2) {
    throw new EnrError(EnrErrorCode.IncompleteList, 'record contains less than two list elements');
  }
  if (list.length % 2 !== 0)
    throw new EnrError(EnrErrorCode.IncompletePair, 'record contains incomplete k/v pair');
  const signature = list[0]!;
  if (!(signature instanceof Uint8Array)) {
    throw new EnrError(EnrErrorCode.BadSignature, 'record signature must be a byte string');
  }
  let seq: bigint;
  try {
    // Stryker disable next-line StringLiteral: names the field in the error message only.
    seq = rlpToBigInt(list[1]!, 8, 'seq');
  } catch (cause) {
    // rlpToBigInt throws only RlpErrors.
    throw new EnrError(EnrErrorCode.InvalidSeq, `invalid record seq: ${(cause as RlpError).message}`, {
      cause,
    });
  }
  const pairs: EnrPair[] = [];
  for (let i = 2; i < list.length; i += 2) {
    const key = list[i]!;
    if (!(key instanceof Uint8Array))
      throw new EnrError(EnrErrorCode.InvalidKey, 'record key must be a byte string');
    pairs.push({ key, value: list[i + 1]! });
  }
  checkKeyOrder(pairs);
  // The signed content is the record's own tail re-wrapped, so it is byte-exact without re-encoding.
  const outer = rlpDecodeHeader(bytes, 0);
  const afterSignature = rlpDecodeHeader(bytes, outer.payloadOffset).end;
  const signedContent = concatBytes(
    rlpListHeader(outer.end - afterSignature),
    bytes.subarray(afterSignature, outer.end),
  );
  return { signature, seq, pairs, signedContent };
}
