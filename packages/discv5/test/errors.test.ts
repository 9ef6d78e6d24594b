import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { RoutingTable, resolveTarget } from '../src/index.js';

describe('error messages name the missing or wrong part', () => {
  it('a record or address without an IP, or without a UDP port', () => {
    const privateKey = generatePrivateKey();
    expect(() => resolveTarget(Enr.create({ privateKey, udp: 30303 }))).toThrow(
      'record has no IP address to send to',
    );
    expect(() => resolveTarget(Enr.create({ privateKey, ip: '10.0.0.1' }))).toThrow(
      'record has no UDP port to send to',
    );
    const address = Enr.create({ privateKey, ip: '10.0.0.1', udp: 30303 }).toNodeAddress();
    expect(() => resolveTarget({ ...address, ip: undefined })).toThrow(
      'node address has no IP address to send to',
    );
    expect(() => resolveTarget({ ...address, udp: 0 })).toThrow('node address 10.0.0.1 has no UDP port');
  });

  it('routing table sizes', () => {
    const localId = new Uint8Array(32);
    expect(() => new RoutingTable(localId, { bucketSize: 0, replacementSize: 10, now: () => 0 })).toThrow(
      'bucket size must be >= 1, got 0',
    );
    expect(() => new RoutingTable(localId, { bucketSize: 16, replacementSize: -1, now: () => 0 })).toThrow(
      'replacement list size must be >= 0, got -1',
    );
  });
});
