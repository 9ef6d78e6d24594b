export { splitIntoBatches } from './batches.js';
export {
  type ClientRequestShape,
  type HistoryRequest,
  type HistorySummary,
  MailClient,
  type MailClientEvents,
  type MailClientOptions,
  type MailserverMisbehavedEvent,
  type PageEvent,
  REQUEST_RATE_SHARE,
  type ResyncEvent,
} from './client.js';
export type { MailClientCounters, MailserverViolation } from './client-counters.js';
export * from './constants.js';
export { isMailserverError, MailserverError, MailserverErrorCode } from './errors.js';
export {
  afterCursorKey,
  assertCursor,
  CURSOR_LENGTH,
  cursorOf,
  cursorTime,
  DB_KEY_LENGTH,
  dbKeyOf,
  lowerKey,
  sentTime,
  upperKey,
} from './key.js';
export {
  type MailserverProbeOptions,
  type MailserverRoundTrip,
  mailserverProbe,
  PROBE_TOPIC,
  type ProbedPeer,
} from './probe.js';
export {
  buildRequestEnvelope,
  decodeMailRequest,
  decodeMessagesRequest,
  decodeRawPayload,
  decodeRequestPayload,
  encodeMessagesRequest,
  encodeRawPayload,
  encodeRequestPayload,
  type MailRequest,
  type RequestEnvelopeOptions,
  type RequestFields,
  type RequestKeys,
  type RequestShape,
} from './request.js';
export {
  MailServer,
  type MailServerEvents,
  type MailServerOptions,
  mailserverSymKey,
  type ServedRequest,
  type WindowLimitAppliesTo,
} from './server.js';
export type { MailServerCounters, MailServerLimitReason } from './server-counters.js';
export type { MailServerLoad } from './server-load.js';
export { MemoryEnvelopeStore } from './store/memory.js';
export { isTransientStoreError } from './store/transient.js';
export type { EnvelopeStore, HistoryPage, HistoryQuery } from './store/types.js';
export { HistorySyncState } from './sync-state.js';
