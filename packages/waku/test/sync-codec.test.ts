import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  decodeSyncMailRequest,
  decodeSyncResponse,
  encodeSyncResponse,
  type SyncMailRequest,
  type SyncResponse,
  validateSyncMailRequest,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { rootMessage, thrown } from './helpers/thrown.js';

const EMPTY = new Uint8Array(0);
const request = (over: Partial<SyncMailRequest> = {}): SyncMailRequest => ({
  lower: 10,
  upper: 20,
  bloom: EMPTY,
  limit: 5,
  cursor: EMPTY,
  ...over,
});
const response = (over: Partial<SyncResponse> = {}): SyncResponse => ({
  envelopes: [],
  cursor: EMPTY,
  final: true,
  error: '',
  ...over,
});

describe('sync request validation', () => {
  it('accepts lower == upper and rejects lower == upper + 1', () => {
    expect(code(() => validateSyncMailRequest(request({ lower: 20, upper: 20 })))).toBe('no error');
    expect(code(() => validateSyncMailRequest(request({ lower: 21, upper: 20 })))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
  });

  it('rejects times that are not uint32 numbers', () => {
    for (const lower of ['10', 10n, -1, 1.5, 2 ** 32]) {
      expect(code(() => validateSyncMailRequest(request({ lower: lower as number })))).toBe(
        'ERR_WAKU_BAD_PACKET',
      );
    }
    expect(code(() => validateSyncMailRequest(request({ lower: 0, upper: 2 ** 32 - 1 })))).toBe('no error');
  });

  it('names the request in a cursor error', () => {
    expect(rootMessage(() => validateSyncMailRequest(request({ cursor: new Uint8Array(5) })))).toMatch(
      /^sync request cursor /,
    );
  });
});

describe('sync request decoding', () => {
  it('rejects a list of four items with its own error, not a wrapped one', () => {
    const err = thrown(() => decodeSyncMailRequest(rlpEncode([1, 2, EMPTY, 3])));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause).toBeUndefined();
  });

  it('keeps the RLP error as the cause of a malformed field', () => {
    const err = thrown(() => decodeSyncMailRequest(rlpEncode([[1], 2, EMPTY, 3, EMPTY])));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_BYTES');
  });

  it.each([
    ['sync request lower', [[1], 2, EMPTY, 3, EMPTY]],
    ['sync request upper', [1, [2], EMPTY, 3, EMPTY]],
    ['sync request bloom', [1, 2, [1], 3, EMPTY]],
    ['sync request limit', [1, 2, EMPTY, [3], EMPTY]],
    ['sync request cursor', [1, 2, EMPTY, 3, [1]]],
  ])('names the %s', (label, fields) => {
    expect(rootMessage(() => decodeSyncMailRequest(rlpEncode(fields)))).toMatch(new RegExp(`^${label} `));
  });
});

describe('sync response', () => {
  it('rejects an error that is not a string', () => {
    expect(code(() => encodeSyncResponse(response({ error: 5 as unknown as string })))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
  });

  it('names the response in a cursor error', () => {
    expect(rootMessage(() => encodeSyncResponse(response({ cursor: new Uint8Array(5) })))).toMatch(
      /^sync response cursor /,
    );
    const payload = rlpEncode([[], new Uint8Array(5), 1, '']);
    expect(rootMessage(() => decodeSyncResponse(payload))).toMatch(/^sync response cursor /);
  });

  it.each([
    ['sync response', rlpEncode(5)],
    ['sync response cursor', rlpEncode([[], [1], 1, ''])],
    ['sync response final', rlpEncode([[], EMPTY, 2, ''])],
    ['sync response error', rlpEncode([[], EMPTY, 1, [1]])],
  ])('names the %s when malformed', (label, payload) => {
    expect(rootMessage(() => decodeSyncResponse(payload))).toMatch(new RegExp(`^${label} `));
  });
});
