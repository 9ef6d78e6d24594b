import { StatusTsError } from '@status-ts/core';

/** Stable codes for what the client refuses. */
export const ClientErrorCode = {
  /** An option is missing, contradictory or out of range. */
  InvalidOptions: 'ERR_CLIENT_INVALID_OPTIONS',
  /** The node is not running (start it first, or it was stopped). */
  NotRunning: 'ERR_CLIENT_NOT_RUNNING',
  /** The chat is not joined (or does not exist). */
  UnknownChat: 'ERR_CLIENT_UNKNOWN_CHAT',
  /** A record or argument given to the message store is malformed (bad id, key, number, state). */
  InvalidArgument: 'ERR_CLIENT_INVALID_ARGUMENT',
  /** A message store limit was exceeded (page size, batch size, bytes, text length); details name it. */
  StoreLimit: 'ERR_CLIENT_STORE_LIMIT',
  /** The message store has no message with that id. */
  UnknownMessage: 'ERR_CLIENT_UNKNOWN_MESSAGE',
  /** The message store was closed. */
  StoreClosed: 'ERR_CLIENT_STORE_CLOSED',
  /** No installation (device) of our account has that id. */
  UnknownInstallation: 'ERR_CLIENT_UNKNOWN_INSTALLATION',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class ClientError extends StatusTsError {
  constructor(
    code: ClientErrorCode | string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'ClientError';
  }
}
