import { type RlpItem, rlpDecode, rlpEncode, rlpToBigInt, rlpToBytes, rlpToList } from '@status-ts/enr';
import { DEFAULT_MAX_HELLO_SIZE } from '../constants.js';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { CapabilityId } from './capabilities.js';

/** The p2p Hello message (id 0x00, checklist RLPX-08). */
export interface Hello {
  /** Base protocol version; 5 and above enables snappy (EIP-706). */
  protocolVersion: number;
  clientId: string;
  capabilities: CapabilityId[];
  /** The TCP port the peer listens on, 0 if it does not listen. */
  listenPort: number;
  /** 64-byte node id (the static public key without the 0x04 prefix). */
  nodeId: Uint8Array;
}

// Not fatal: a client id that is not UTF-8 is shown with replacement characters rather than refused.
const lenientUtf8 = new TextDecoder();

/** Capability names are ASCII; other bytes are kept one char per byte so matching never throws. */
function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

export function encodeHello(hello: Hello): Uint8Array {
  return rlpEncode([
    hello.protocolVersion,
    hello.clientId,
    hello.capabilities.map((c) => [c.name, c.version]),
    hello.listenPort,
    hello.nodeId,
  ]);
}

function uint64(item: RlpItem, what: string): number {
  return Number(rlpToBigInt(item, 8, what));
}

/**
 * Decodes a Hello payload. Extra list elements (in the message and in each capability) are ignored and
 * any version is accepted (EIP-8); the node id is returned as sent: its length is checked by the caller,
 * which answers a wrong one with reason 0x07.
 */
export function decodeHello(payload: Uint8Array, maxSize = DEFAULT_MAX_HELLO_SIZE): Hello {
  if (payload.length > maxSize) {
    throw new Devp2pError(Devp2pErrorCode.BadHello, `Hello of ${payload.length} bytes exceeds ${maxSize}`, {
      details: { size: payload.length, limit: maxSize },
    });
  }
  try {
    const list = rlpToList(rlpDecode(payload, { allowTrailing: true, maxItems: 4096 }), 5, 'Hello');
    const capabilities = rlpToList(list[2]!, 0, 'capabilities').map((entry) => {
      const cap = rlpToList(entry, 2, 'capability');
      return {
        name: binaryString(rlpToBytes(cap[0]!, undefined, 'capability name')),
        version: uint64(cap[1]!, 'capability version'),
      };
    });
    return {
      protocolVersion: uint64(list[0]!, 'protocol version'),
      clientId: lenientUtf8.decode(rlpToBytes(list[1]!, undefined, 'client id')),
      capabilities,
      listenPort: uint64(list[3]!, 'listen port'),
      nodeId: rlpToBytes(list[4]!, undefined, 'node id').slice(),
    };
  } catch (cause) {
    throw new Devp2pError(Devp2pErrorCode.BadHello, 'malformed Hello', { cause });
  }
}
