import { bytesToHex, isStatusTsError } from '@status-ts/core';
import { Enr, type NodeAddress, parseEnode } from '@status-ts/enr';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import { recordInfo } from '../record-info.js';
import type { UdpEndpoint } from '../transport/types.js';

/** Everything needed to talk to a node: id, static key, endpoint, and its record when known. */
export interface NodeTarget {
  readonly nodeId: Uint8Array;
  readonly nodeIdHex: string;
  /** Compressed (33) or raw (64) secp256k1 key: the handshake's key agreement needs it. */
  readonly publicKey: Uint8Array;
  readonly endpoint: UdpEndpoint;
  readonly enr: Enr | undefined;
}

/**
 * Ways to name a node: an `Enr`, its `enr:` text, an `enode://` URL whose UDP port is known, or a `NodeAddress`
 * (what `parseEnode` and `Enr.toNodeAddress` give).
 */
export type TargetInput = Enr | string | NodeAddress | NodeTarget;

export function targetFromEnr(enr: Enr): NodeTarget {
  const { nodeId, nodeIdHex, publicKey, endpoint } = recordInfo(enr);
  if (!endpoint) {
    const missing = enr.ip === undefined && enr.ip6 === undefined ? 'IP address' : 'UDP port';
    throw new Discv5Error(Discv5ErrorCode.NoEndpoint, `record has no ${missing} to send to`, {
      details: { nodeId: nodeIdHex },
    });
  }
  return { nodeId, nodeIdHex, publicKey, endpoint, enr };
}

function targetFromAddress(address: NodeAddress): NodeTarget {
  if (address.ip === undefined) {
    throw new Discv5Error(Discv5ErrorCode.NoEndpoint, 'node address has no IP address to send to');
  }
  if (address.udp === 0) {
    throw new Discv5Error(Discv5ErrorCode.NoEndpoint, `node address ${address.ip} has no UDP port`);
  }
  return {
    nodeId: address.nodeId,
    nodeIdHex: bytesToHex(address.nodeId),
    publicKey: address.publicKey,
    endpoint: { ip: address.ip, port: address.udp },
    enr: undefined,
  };
}

/** Resolves any `TargetInput`; bad text is ERR_DISCV5_INVALID_ARGUMENT with the ENR/enode error as cause. */
export function resolveTarget(input: TargetInput): NodeTarget {
  if (input instanceof Enr) return targetFromEnr(input);
  if (typeof input === 'string') {
    try {
      if (input.startsWith('enode://')) return targetFromAddress(parseEnode(input));
      return targetFromEnr(Enr.decodeText(input));
    } catch (cause) {
      if (cause instanceof Discv5Error || !isStatusTsError(cause)) throw cause;
      throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'not a valid enr: or enode:// node URL', {
        cause,
      });
    }
  }
  if ('endpoint' in input) return input;
  return targetFromAddress(input);
}
