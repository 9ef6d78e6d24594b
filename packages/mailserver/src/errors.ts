import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the mailserver package rejects. */
export const MailserverErrorCode = {
  /** A request that decodes as no known shape (MessagesRequest RLP, envelope with RLP or raw payload). */
  MalformedRequest: 'ERR_MAILSERVER_MALFORMED_REQUEST',
  /** A request larger than the server accepts. */
  OversizedRequest: 'ERR_MAILSERVER_OVERSIZED_REQUEST',
  /** A request envelope that neither the mailserver symmetric key nor its private key opens. */
  Decrypt: 'ERR_MAILSERVER_DECRYPT',
  /** A request envelope without a signature. */
  Unsigned: 'ERR_MAILSERVER_UNSIGNED',
  /** A request with invalid fields (bounds, limit, bloom, cursor). */
  InvalidRequest: 'ERR_MAILSERVER_INVALID_REQUEST',
  /** A request whose time window is wider than the server's maximum. */
  WindowTooWide: 'ERR_MAILSERVER_WINDOW_TOO_WIDE',
  /** A request envelope below the server's minimum PoW. */
  LowPow: 'ERR_MAILSERVER_LOW_POW',
  /** The peer asked again sooner than the per-peer rate allows. */
  RateLimited: 'ERR_MAILSERVER_RATE_LIMITED',
  /** The server, or the peer's share of it, has too many requests or bytes in flight. */
  Busy: 'ERR_MAILSERVER_BUSY',
  /** The peer does not read what the server sends (a send waited too long, or earlier ones still wait). */
  SlowPeer: 'ERR_MAILSERVER_SLOW_PEER',
  /** A store failed to read or write. */
  Store: 'ERR_MAILSERVER_STORE',
  /** The mailserver did not complete a request in time (client). */
  Timeout: 'ERR_MAILSERVER_TIMEOUT',
  /** The mailserver answered with an error completion (client). */
  RequestFailed: 'ERR_MAILSERVER_REQUEST_FAILED',
  /** Every mailserver failed (client). */
  AllFailed: 'ERR_MAILSERVER_ALL_FAILED',
  /** The mailserver broke the client's bounds too often and was dropped (client). */
  Misbehaved: 'ERR_MAILSERVER_MISBEHAVED',
  /** The same topics were requested again too soon (client). */
  DuplicateRequest: 'ERR_MAILSERVER_DUPLICATE_REQUEST',
  /** Option out of range. */
  InvalidOptions: 'ERR_MAILSERVER_INVALID_OPTIONS',
} as const;

export type MailserverErrorCode = (typeof MailserverErrorCode)[keyof typeof MailserverErrorCode];

export class MailserverError extends StatusTsError {
  constructor(
    code: MailserverErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'MailserverError';
  }
}

export function isMailserverError(err: unknown, code?: MailserverErrorCode): err is MailserverError {
  return err instanceof MailserverError && (code === undefined || err.code === code);
}
