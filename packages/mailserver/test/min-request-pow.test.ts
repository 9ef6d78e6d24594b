import { randomBytes } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeMessagesRequest,
  encodeRequestPayload,
  MailServer,
  MailserverErrorCode,
  MemoryEnvelopeStore,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';
import { NOW, requestEnvelope, serverSetup } from './helpers/server-setup.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setup(minRequestPow?: number) {
  const s = await serverSetup(minRequestPow === undefined ? {} : { minRequestPow });
  stops.push(s.stop);
  await s.mailserver.archive([makeEnvelope(NOW - 60, TOPIC_A)]);
  return s;
}

const payload = () => encodeRequestPayload({ lower: NOW - 3600, upper: NOW, topics: [TOPIC_A] });

// status-go refuses a request envelope whose PoW is below the node's MinimumPoW (when it is > 0), before
// opening it; a MessagesRequest carries no envelope and no PoW.
describe('minRequestPow', () => {
  it('refuses a request envelope below minRequestPow with ERR_MAILSERVER_LOW_POW, serves one at it', async () => {
    const envelope = requestEnvelope(payload());
    const pow = envelope.pow();
    expect(pow).toBeGreaterThan(0);

    const strict = await setup(pow * 1.001);
    const refused = await strict.request(envelope);
    expect(refused?.requestId).toEqual(envelope.hash);
    expect(refused?.error).toMatch(/PoW/);
    expect(strict.received).toHaveLength(0);
    expect(strict.mailserver.counters.rejected[MailserverErrorCode.LowPow]).toBe(1);
    // A MessagesRequest is not an envelope: no PoW to check.
    const plain = await strict.request(
      encodeMessagesRequest(randomBytes(32), { lower: NOW - 3600, upper: NOW, topics: [TOPIC_A] }),
    );
    expect(plain?.error).toBeUndefined();

    const exact = await setup(pow);
    const served = await exact.request(envelope);
    expect(served?.error).toBeUndefined();
    expect(exact.received).toHaveLength(1);
    expect(exact.mailserver.counters.rejected[MailserverErrorCode.LowPow]).toBeUndefined();
  });

  it('minRequestPow 0 (the default) serves a request envelope of any PoW', async () => {
    for (const minRequestPow of [undefined, 0]) {
      const s = await setup(minRequestPow);
      const served = await s.request(requestEnvelope(payload()));
      expect(served?.error).toBeUndefined();
      expect(s.received).toHaveLength(1);
    }
  });

  it('refuses a minRequestPow that is negative, not a number or not finite', () => {
    const store = new MemoryEnvelopeStore();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1']) {
      expect(() => new MailServer({ store, minRequestPow: bad as number })).toThrowError(
        expect.objectContaining({ code: MailserverErrorCode.InvalidOptions }),
      );
    }
    expect(() => new MailServer({ store, minRequestPow: 0.5 })).not.toThrow();
  });
});
