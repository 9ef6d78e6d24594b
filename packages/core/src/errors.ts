/**
 * The one error base of status-ts. Every error a package throws on purpose is a `StatusTsError`
 * (or a subclass) with a stable string `code`, so callers branch on `err.code`, never on messages.
 */
export class StatusTsError extends Error {
  readonly code: string;
  /** Optional structured facts about the failure (sizes, limits, peer ids) for logs and tests. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StatusTsError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `err` is a StatusTsError, optionally with the given code. */
export function isStatusTsError(err: unknown, code?: string): err is StatusTsError {
  return err instanceof StatusTsError && (code === undefined || err.code === code);
}

/** Codes used by core itself. */
export const CoreErrorCode = {
  InvalidHex: 'ERR_INVALID_HEX',
  InvalidUtf8: 'ERR_INVALID_UTF8',
  InvalidLength: 'ERR_INVALID_LENGTH',
  Timeout: 'ERR_TIMEOUT',
} as const;

/** Throws ERR_INVALID_LENGTH unless `bytes` is exactly `length` long. */
export function assertLength(bytes: Uint8Array, length: number, what = 'value'): void {
  if (bytes.length !== length) {
    throw new StatusTsError(
      CoreErrorCode.InvalidLength,
      `${what} must be ${length} bytes, got ${bytes.length}`,
      {
        details: { expected: length, actual: bytes.length },
      },
    );
  }
}
