import { hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { decodeDisconnect, disconnectReasonName } from '../src/index.js';

describe('disconnect reasons', () => {
  it('names each reason as the devp2p spec does', () => {
    expect(Array.from({ length: 17 }, (_, i) => disconnectReasonName(i))).toEqual([
      'disconnect requested',
      'network error',
      'breach of protocol',
      'useless peer',
      'too many peers',
      'already connected',
      'incompatible p2p protocol version',
      'invalid node identity',
      'client quitting',
      'unexpected identity',
      'connected to self',
      'read timeout',
      'unknown reason 0x0c',
      'unknown reason 0x0d',
      'unknown reason 0x0e',
      'unknown reason 0x0f',
      'subprotocol error',
    ]);
    expect(disconnectReasonName(0x100)).toBe('unknown reason 0x100');
  });

  it('decodeDisconnect ignores bytes after the reason and refuses more than 16 items', () => {
    expect(decodeDisconnect(hexToBytes('c104ff'))).toBe(4);
    expect(decodeDisconnect(hexToBytes('0400'))).toBe(4);
    // [4, [14 empty lists]]: 17 items counting both outer lists; with 13 inside: 16.
    expect(decodeDisconnect(hexToBytes(`d004ce${'c0'.repeat(14)}`))).toBeUndefined();
    expect(decodeDisconnect(hexToBytes(`cf04cd${'c0'.repeat(13)}`))).toBe(4);
  });
});
