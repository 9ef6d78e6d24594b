import { randomBytes } from '@status-ts/crypto';
import { Envelope, type Topic } from '@status-ts/waku';

export const TOPIC_A: Topic = Uint8Array.of(0x11, 0x22, 0x33, 0x44);
export const TOPIC_B: Topic = Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd);
export const TOPIC_C: Topic = Uint8Array.of(0x57, 0x68, 0x79, 0x8a);

/** An envelope sent at `sent` (unix s) on `topic`, random data (no PoW: stores do not care). */
export function makeEnvelope(sent: number, topic: Topic, size = 64, ttl = 10): Envelope {
  return Envelope.create({ expiry: sent + ttl, ttl, topic, data: randomBytes(size) });
}
