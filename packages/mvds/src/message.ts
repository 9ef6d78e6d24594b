import { sha256 } from '@status-ts/crypto';
import { MESSAGE_ID_PREFIX } from './constants.js';

/** An MVDS message: the unit that is synchronised (Status puts an ApplicationMetadataMessage in `body`). */
export interface MvdsMessage {
  readonly groupId: Uint8Array;
  /** proto3 `int64`; status-go writes Unix seconds. */
  readonly timestamp: bigint;
  readonly body: Uint8Array;
}

/** The timestamp as the 8 bytes the id hash takes: two's complement, little-endian (Go `PutUint64`). */
function timestampBytes(timestamp: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, timestamp), true);
  return out;
}

/** Message id = SHA-256("MESSAGE_ID" || group_id || timestamp as uint64 little-endian || body). */
export function messageId(message: MvdsMessage): Uint8Array {
  return sha256(MESSAGE_ID_PREFIX, message.groupId, timestampBytes(message.timestamp), message.body);
}
