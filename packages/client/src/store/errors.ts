import { ClientError, ClientErrorCode } from '../errors.js';

/** ERR_CLIENT_UNKNOWN_CHAT: a record names a chat the store does not hold. */
export function unknownChat(chatId: string): ClientError {
  return new ClientError(ClientErrorCode.UnknownChat, `chat ${chatId} is not in the message store`, {
    details: { chatId },
  });
}

/** ERR_CLIENT_UNKNOWN_MESSAGE: no message with that id is stored. */
export function unknownMessage(id: string): ClientError {
  return new ClientError(ClientErrorCode.UnknownMessage, `message ${id} is not in the message store`, {
    details: { id },
  });
}

/** ERR_CLIENT_STORE_CLOSED. */
export function storeClosed(): ClientError {
  return new ClientError(ClientErrorCode.StoreClosed, 'the message store is closed');
}
