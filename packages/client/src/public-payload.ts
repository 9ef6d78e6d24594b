import { decodeProtocolMessage } from '@status-ts/secure-transport';

/**
 * The ApplicationMetadataMessage inside a public chat payload. A Status app sends public messages as an
 * unencrypted secure-transport `ProtocolMessage` carrying the wrapper as `public_message` (with the
 * sender's bundle); older clients and tools post the bare wrapper, and status-go falls back to reading
 * the payload as one when it is not a ProtocolMessage with a public message. So do we.
 */
export function publicMessageWrapper(payload: Uint8Array): Uint8Array {
  try {
    const message = decodeProtocolMessage(payload);
    if (message.publicMessage.length > 0) return message.publicMessage;
  } catch {
    // Not a ProtocolMessage: read the payload as a bare wrapper.
  }
  return payload;
}
