import { PayloadError, PayloadErrorCode } from '../errors.js';

/**
 * status-go's CommandState (protocol/common/message.go), the state of a transaction command shown in a
 * 1:1 chat, with the numbers status-go stores and puts in its JSON (`commandState`).
 * TRANSACTION_PENDING exists there but v0.62.0 never enters it.
 */
export const COMMAND_STATE_NUMBERS = {
  REQUEST_ADDRESS_FOR_TRANSACTION: 1,
  REQUEST_ADDRESS_FOR_TRANSACTION_DECLINED: 2,
  REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED: 3,
  REQUEST_TRANSACTION: 4,
  REQUEST_TRANSACTION_DECLINED: 5,
  TRANSACTION_PENDING: 6,
  TRANSACTION_SENT: 7,
} as const;

/** A command state by name. */
export type CommandState = keyof typeof COMMAND_STATE_NUMBERS;

/** The application message types that create or move a command (ApplicationMetadataMessage names). */
export type TransactionCommandType =
  | 'REQUEST_ADDRESS_FOR_TRANSACTION'
  | 'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION'
  | 'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION'
  | 'REQUEST_TRANSACTION'
  | 'SEND_TRANSACTION'
  | 'DECLINE_REQUEST_TRANSACTION';

/** The state named by status-go's number; ERR_PAYLOAD_INVALID_ARGUMENT for a number it does not define. */
export function commandStateFromNumber(value: number): CommandState {
  for (const [name, number] of Object.entries(COMMAND_STATE_NUMBERS)) {
    if (number === value) return name as CommandState;
  }
  throw new PayloadError(PayloadErrorCode.InvalidArgument, `${value} is not a command state`, {
    details: { value },
  });
}

/**
 * The state a command moves to when a valid `incoming` message arrives, as status-go's message handler
 * does it; `current` is the state of the command the message refers to (its `id`), undefined when there
 * is none. Returns undefined when status-go refuses the message ("Wrong state for command"):
 * - REQUEST_ADDRESS_FOR_TRANSACTION, REQUEST_TRANSACTION open a new command (their own message id is the
 *   command id), whatever `current` is;
 * - ACCEPT_ / DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION need REQUEST_ADDRESS_FOR_TRANSACTION and give
 *   REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED / _DECLINED;
 * - DECLINE_REQUEST_TRANSACTION needs REQUEST_TRANSACTION and gives REQUEST_TRANSACTION_DECLINED;
 * - SEND_TRANSACTION gives TRANSACTION_SENT from any state or none: status-go first queues it and sets
 *   the state once the wallet has found the transaction on chain and checked it, without looking at the
 *   previous state.
 * status-go also requires the command to be one we sent, in the chat with the message's author: that
 * depends on stored messages and is the caller's check.
 */
export function nextCommandState(
  current: CommandState | undefined,
  incoming: TransactionCommandType,
): CommandState | undefined {
  switch (incoming) {
    case 'REQUEST_ADDRESS_FOR_TRANSACTION':
      return 'REQUEST_ADDRESS_FOR_TRANSACTION';
    case 'REQUEST_TRANSACTION':
      return 'REQUEST_TRANSACTION';
    case 'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION':
      return current === 'REQUEST_ADDRESS_FOR_TRANSACTION'
        ? 'REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED'
        : undefined;
    case 'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION':
      return current === 'REQUEST_ADDRESS_FOR_TRANSACTION'
        ? 'REQUEST_ADDRESS_FOR_TRANSACTION_DECLINED'
        : undefined;
    case 'DECLINE_REQUEST_TRANSACTION':
      return current === 'REQUEST_TRANSACTION' ? 'REQUEST_TRANSACTION_DECLINED' : undefined;
    case 'SEND_TRANSACTION':
      return 'TRANSACTION_SENT';
    default:
      throw new PayloadError(
        PayloadErrorCode.InvalidArgument,
        `${String(incoming)} is not a transaction command`,
        {
          details: { incoming },
        },
      );
  }
}
