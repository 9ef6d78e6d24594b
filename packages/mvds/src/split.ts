import { MAX_PAYLOAD_RECORDS } from './constants.js';
import { MvdsError, MvdsErrorCode } from './errors.js';
import type { MvdsMessage } from './message.js';
import type { MvdsPayload } from './payload.js';
import { idRecordSize, messageRecordSize } from './wire-size.js';

interface Draft {
  acks: Uint8Array[];
  offers: Uint8Array[];
  requests: Uint8Array[];
  messages: MvdsMessage[];
  size: number;
  records: number;
}

function emptyDraft(): Draft {
  return { acks: [], offers: [], requests: [], messages: [], size: 0, records: 0 };
}

/**
 * Splits a payload into payloads whose encodings are at most `maxSize` bytes and hold at most `maxRecords`
 * records (MVDS-07), keeping record order: acks first, then offers, requests, messages. Sizes are exact
 * (no estimate as in status-go), so every part fits. A single record larger than `maxSize` throws
 * ERR_MVDS_MESSAGE_TOO_LARGE: no peer would accept it.
 */
export function splitPayload(
  payload: MvdsPayload,
  maxSize: number,
  maxRecords: number = MAX_PAYLOAD_RECORDS,
): MvdsPayload[] {
  if (!(maxRecords >= 1)) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `maxRecords must be at least 1, got ${maxRecords}`);
  }
  const parts: Draft[] = [];
  let draft = emptyDraft();
  const add = (size: number, push: (d: Draft) => void): void => {
    if (size > maxSize) {
      throw new MvdsError(
        MvdsErrorCode.MessageTooLarge,
        `record of ${size} bytes exceeds payload limit ${maxSize}`,
        {
          details: { size, limit: maxSize },
        },
      );
    }
    if (draft.size + size > maxSize || draft.records + 1 > maxRecords) {
      parts.push(draft);
      draft = emptyDraft();
    }
    push(draft);
    draft.size += size;
    draft.records += 1;
  };
  for (const id of payload.acks) add(idRecordSize(id), (d) => d.acks.push(id));
  for (const id of payload.offers) add(idRecordSize(id), (d) => d.offers.push(id));
  for (const id of payload.requests) add(idRecordSize(id), (d) => d.requests.push(id));
  for (const m of payload.messages) add(messageRecordSize(m), (d) => d.messages.push(m));
  if (draft.records > 0) parts.push(draft);
  return parts.map(({ acks, offers, requests, messages }) => ({ acks, offers, requests, messages }));
}
