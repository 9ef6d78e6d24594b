import type { Enr } from '@status-ts/enr';
import { MessageType, type NodesMessage } from '../messages.js';

/** Splits records into NODES messages that each fit the packet size; `total` is the message count. */
export function packNodes(requestId: Uint8Array, records: Enr[], budget: number): NodesMessage[] {
  const groups: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let size = 0;
  for (const enr of records) {
    const bytes = enr.encode();
    if (bytes.length > budget) continue;
    if (size + bytes.length > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(bytes);
    size += bytes.length;
  }
  // Empty only when no record fits (every split leaves a record in `current`): then one empty NODES answers.
  groups.push(current);
  return groups.map((group) => ({
    type: MessageType.Nodes,
    requestId,
    total: groups.length,
    records: group,
  }));
}
