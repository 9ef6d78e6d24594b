import { MAX_NAMESPACE_BYTES, NAMESPACE_FORBIDDEN_BYTE } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, length: number): RendezvousError {
  return new RendezvousError(RendezvousErrorCode.InvalidNamespace, message, { details: { length } });
}

/**
 * Checks a namespace's raw bytes (RDV-06): 1..50 bytes, no 0xff (the Go server's storage key delimiter),
 * and valid UTF-8 so it round-trips as a string. Returns it as text.
 */
export function parseNamespace(bytes: Uint8Array): string {
  if (bytes.length === 0) throw invalid('namespace is empty', 0);
  if (bytes.length > MAX_NAMESPACE_BYTES) {
    throw invalid(`namespace is ${bytes.length} bytes, at most ${MAX_NAMESPACE_BYTES} allowed`, bytes.length);
  }
  if (bytes.includes(NAMESPACE_FORBIDDEN_BYTE)) throw invalid('namespace contains byte 0xff', bytes.length);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw invalid('namespace is not valid UTF-8', bytes.length);
  }
}

/** Checks a namespace given as text, as a client is about to send it. */
export function assertNamespace(topic: string): void {
  parseNamespace(new TextEncoder().encode(topic));
}
