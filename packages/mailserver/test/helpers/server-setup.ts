import { ManualClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { type Envelope, linkInMemory, type P2PRequestComplete, WakuNode } from '@status-ts/waku';
import {
  buildRequestEnvelope,
  MailServer,
  type MailServerOptions,
  MemoryEnvelopeStore,
  mailserverSymKey,
} from '../../src/index.js';

export const NOW = 1_750_000_000;

/**
 * A mailserver node linked in memory to a client node, both on a ManualClock at NOW. `request` sends one P2P
 * request and resolves with its completion (undefined when it was dropped unanswered).
 */
export async function serverSetup(options: Partial<MailServerOptions> = {}) {
  const clock = new ManualClock(NOW * 1000);
  const server = new WakuNode({ clock });
  const client = new WakuNode({ clock });
  await Promise.all([server.start(), client.start()]);
  const link = await linkInMemory(server, client);
  const store = new MemoryEnvelopeStore();
  const mailserver = new MailServer({ store, ...options });
  mailserver.attach(server);
  const completes: P2PRequestComplete[] = [];
  const received: Envelope[] = [];
  client.on('p2p:requestComplete', (_p, c) => completes.push(c));
  client.on('p2p:envelopes', (_p, e) => received.push(...e));
  const answered = () =>
    completes.length + Object.values(mailserver.counters.dropped).reduce((a, b) => a + b, 0);
  const request = async (payload: Uint8Array | Envelope): Promise<P2PRequestComplete | undefined> => {
    const before = answered();
    const seen = completes.length;
    await client.sendP2PRequest(link.idA, payload);
    for (let i = 0; i < 400 && answered() === before; i++) await new Promise((r) => setTimeout(r, 5));
    return completes.length > seen ? completes[completes.length - 1] : undefined;
  };
  const stop = async () => {
    await mailserver.stop();
    await Promise.all([server.stop(), client.stop()]);
  };
  return { clock, server, client, mailserver, store, completes, received, request, stop };
}

/** A request envelope (shape b with an RLP payload, shape c with a raw one) under the mailserver key. */
export function requestEnvelope(payload: Uint8Array): Envelope {
  return buildRequestEnvelope({
    payload,
    signingKey: generatePrivateKey(),
    symKey: mailserverSymKey(),
    now: NOW,
  });
}
