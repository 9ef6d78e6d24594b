import { StatusTsError } from '@status-ts/core';

export const PeerPoolErrorCode = {
  InvalidArgument: 'ERR_PEERPOOL_INVALID_ARGUMENT',
  BadTarget: 'ERR_PEERPOOL_BAD_TARGET',
  MissingCapability: 'ERR_PEERPOOL_MISSING_CAPABILITY',
  NotRunning: 'ERR_PEERPOOL_NOT_RUNNING',
  BadCacheFile: 'ERR_PEERPOOL_BAD_CACHE_FILE',
  ProbeFailed: 'ERR_PEERPOOL_PROBE_FAILED',
} as const;
export type PeerPoolErrorCode = (typeof PeerPoolErrorCode)[keyof typeof PeerPoolErrorCode];

export class PeerPoolError extends StatusTsError {
  constructor(
    code: PeerPoolErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'PeerPoolError';
  }
}

export function isPeerPoolError(err: unknown, code?: PeerPoolErrorCode): err is PeerPoolError {
  return err instanceof PeerPoolError && (code === undefined || err.code === code);
}
