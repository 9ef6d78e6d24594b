import { MAX_NAMESPACE_BYTES } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';

const strictUtf8 = new TextDecoder(undefined, { fatal: true }); // UTF-8

function invalid(message: string, length: number): RendezvousError {
  return new RendezvousError(RendezvousErrorCode.InvalidNamespace, message, { details: { length } });
}

/**
 * Checks a namespace's raw bytes (RDV-06): 1..50 bytes of valid UTF-8, so it round-trips as a string. UTF-8
 * never contains 0xff (NAMESPACE_FORBIDDEN_BYTE, the Go server's storage key delimiter), so that is excluded too.
 * Returns it as text.
 */
export function parseNamespace(bytes: Uint8Array): string {
  if (bytes.length === 0) throw invalid('namespace is empty', 0);
  if (bytes.length > MAX_NAMESPACE_BYTES) {
    throw invalid(`namespace is ${bytes.length} bytes, at most ${MAX_NAMESPACE_BYTES} allowed`, bytes.length);
  }
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
