import type { Enr } from '@status-ts/enr';
import type { UdpEndpoint } from './transport/types.js';

/** What discv5 reads from a record again and again, computed once per record object. */
export interface RecordInfo {
  readonly nodeId: Uint8Array;
  readonly nodeIdHex: string;
  readonly publicKey: Uint8Array;
  /** `ip`/`udp`, else `ip6`/`udp6`; undefined when the record has no usable UDP endpoint. */
  readonly endpoint: UdpEndpoint | undefined;
}

const cache = new WeakMap<Enr, RecordInfo>();

function endpointOf(enr: Enr): UdpEndpoint | undefined {
  if (enr.ip !== undefined && enr.udp !== undefined && enr.udp !== 0) return { ip: enr.ip, port: enr.udp };
  const udp6 = enr.udp6 ?? enr.udp;
  if (enr.ip6 !== undefined && udp6 !== undefined && udp6 !== 0) return { ip: enr.ip6, port: udp6 };
  return undefined;
}

/**
 * Node id, key and endpoint of a record. Records are immutable, so the answer is cached per object (decoded
 * records are shared through the record cache, so this hits for every repeat of the same record).
 */
export function recordInfo(enr: Enr): RecordInfo {
  let info = cache.get(enr);
  if (!info) {
    info = {
      nodeId: enr.nodeId,
      nodeIdHex: enr.nodeIdHex,
      publicKey: enr.publicKey,
      endpoint: endpointOf(enr),
    };
    cache.set(enr, info);
  }
  return info;
}
