import { MAX_GROUP_ID_LENGTH, MAX_PEER_ID_LENGTH } from './constants.js';
import { MvdsError, MvdsErrorCode } from './errors.js';

/** Throws ERR_MVDS_INVALID_ARGUMENT unless `peer` is 1..MAX_PEER_ID_LENGTH bytes. */
export function assertPeerId(peer: Uint8Array): void {
  if (!(peer instanceof Uint8Array) || peer.length === 0 || peer.length > MAX_PEER_ID_LENGTH) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `peer id must be 1..${MAX_PEER_ID_LENGTH} bytes`, {
      details: { length: peer instanceof Uint8Array ? peer.length : undefined },
    });
  }
}

/** Throws ERR_MVDS_INVALID_ARGUMENT unless `groupId` is 1..MAX_GROUP_ID_LENGTH bytes. */
export function assertGroupId(groupId: Uint8Array): void {
  if (!(groupId instanceof Uint8Array) || groupId.length === 0 || groupId.length > MAX_GROUP_ID_LENGTH) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `group id must be 1..${MAX_GROUP_ID_LENGTH} bytes`, {
      details: { length: groupId instanceof Uint8Array ? groupId.length : undefined },
    });
  }
}
