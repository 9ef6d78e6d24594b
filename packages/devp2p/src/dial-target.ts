import { Enr, type NodeAddress, parseNodeUrl } from '@status-ts/enr';
import { Devp2pError, Devp2pErrorCode } from './errors.js';

/** Anything the server can dial: an enode URL, an `enr:` text record, a decoded Enr or a NodeAddress. */
export type DialTarget = string | Enr | NodeAddress;

/** The node id and TCP endpoint of a dial target. */
export interface DialEndpoint {
  publicKey: Uint8Array;
  host: string;
  port: number;
}

function badAddress(message: string, cause?: unknown): Devp2pError {
  return new Devp2pError(Devp2pErrorCode.BadAddress, message, cause === undefined ? {} : { cause });
}

/** Resolves a dial target to a key and a TCP endpoint; throws ERR_P2P_BAD_ADDRESS. */
export function resolveDialTarget(target: DialTarget): DialEndpoint {
  let address: NodeAddress;
  try {
    if (typeof target === 'string') address = parseNodeUrl(target, { allowHostname: true });
    else if (target instanceof Enr) address = target.toNodeAddress();
    else address = target;
  } catch (cause) {
    throw badAddress('not a valid enode URL or ENR', cause);
  }
  const host = address.ip ?? address.hostname;
  if (host === undefined)
    throw badAddress('the node has no IP address to dial (no @host in the URL, no ip in the ENR)');
  if (!(address.tcp > 0)) throw badAddress(`the node at ${host} has no TCP port to dial`);
  if (address.publicKey?.length !== 64) throw badAddress('the node public key must be 64 bytes');
  return { publicKey: address.publicKey, host, port: address.tcp };
}
