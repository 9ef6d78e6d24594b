export {
  abortReason,
  anySignal,
  raceSignal,
  sleep,
  throwIfAborted,
  timeoutSignal,
} from './abort.js';
export { AsyncQueue } from './async-queue.js';
export {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  bytesToNumber,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  constantTimeEqual,
  copyBytes,
  equalBytes,
  hexToBytes,
  numberToBytes,
  utf8ToBytes,
  xorBytes,
} from './bytes.js';
export { type Cancel, type Clock, ManualClock, systemClock, unixSeconds } from './clock.js';
export { assertLength, CoreErrorCode, isStatusTsError, StatusTsError } from './errors.js';
export { TypedEmitter } from './events.js';
export {
  type NamedStartable,
  type Startable,
  type StartedParts,
  startable,
  startInOrder,
} from './lifecycle.js';
export {
  createLogger,
  enableLogging,
  isLogEnabled,
  type Logger,
  type LogSink,
  loggerTo,
  setLogSink,
} from './logger.js';
export { loadNodeBuiltin } from './node-builtin.js';
export {
  importOptional,
  MISSING_DEPENDENCY,
  MissingDependencyError,
  requireOptional,
} from './optional-dependency.js';
export { seededRandom } from './random.js';
export { SlicedQueue, yieldToEventLoop } from './yield.js';
