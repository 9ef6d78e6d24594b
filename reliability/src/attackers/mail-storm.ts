import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { buildRequestEnvelope, encodeRequestPayload, mailserverSymKey } from '@status-ts/mailserver';
import { Envelope, encodeP2PRequest, WakuCode } from '@status-ts/waku';
import { runChild } from '../child.js';
import { rawWakuCapability } from './raw-waku.js';

/**
 * Mailserver request storm (issue 18, item 2): `peers` connections that each ask for a big page of history
 * `perSecond` times a second and never read what comes back, for `durationMs`.
 */
export interface MailStormConfig {
  readonly victimEnode: string;
  readonly peers: number;
  readonly perSecond: number;
  readonly durationMs: number;
  /** Topic (hex) of the archive's big history. */
  readonly topic: string;
  readonly limit: number;
  /** `malformed`: requests no mailserver should answer (random bytes, undecryptable envelopes, 2,000 topics,
   * a 30-day span, a cursor of the wrong length), in turn; the peers read their answers. */
  readonly malformed?: boolean;
}

function malformedRequest(i: number, topic: Uint8Array, signingKey: Uint8Array): Uint8Array {
  const now = Math.floor(Date.now() / 1000);
  const sealed = (fields: Parameters<typeof encodeRequestPayload>[0]) =>
    encodeP2PRequest(
      buildRequestEnvelope({
        payload: encodeRequestPayload(fields),
        signingKey,
        symKey: mailserverSymKey(),
        now,
      }),
    );
  switch (i % 5) {
    case 0:
      return randomBytes(1 + (i % 700));
    case 1:
      return encodeP2PRequest(
        Envelope.create({ expiry: now + 50, ttl: 50, topic: new Uint8Array(4), data: randomBytes(300) }),
      );
    case 2:
      return sealed({
        lower: now - 3_600,
        upper: now,
        topics: Array.from({ length: 2_000 }, (_, k) => Uint8Array.of(k >> 8, k & 0xff, 1, 2)),
      });
    case 3:
      return sealed({ lower: now - 30 * 86_400, upper: now, topics: [topic] });
    default:
      return sealed({ lower: now - 3_600, upper: now, topics: [topic], cursor: randomBytes(7) });
  }
}

await runChild<MailStormConfig>(async ({ config, emit }) => {
  let requests = 0;
  const servers: Server[] = [];
  const storm = async (send: (code: number, payload: Uint8Array) => Promise<void>) => {
    const signingKey = generatePrivateKey();
    const until = Date.now() + config.durationMs;
    while (config.malformed && Date.now() < until) {
      void send(
        WakuCode.P2PRequest,
        malformedRequest(requests, Buffer.from(config.topic, 'hex'), signingKey),
      ).catch(() => undefined);
      requests++;
      await new Promise((resolve) => setTimeout(resolve, 1000 / config.perSecond));
    }
    while (Date.now() < until) {
      const now = Math.floor(Date.now() / 1000);
      const envelope = buildRequestEnvelope({
        payload: encodeRequestPayload({
          lower: now - 3_600,
          upper: now + 60,
          topics: [Buffer.from(config.topic, 'hex')],
          limit: config.limit,
        }),
        signingKey,
        symKey: mailserverSymKey(),
        now,
      });
      // Not awaited: a peer that never reads does not wait for its own writes either.
      void send(WakuCode.P2PRequest, encodeP2PRequest(envelope)).catch(() => undefined);
      requests++;
      await new Promise((resolve) => setTimeout(resolve, 1000 / config.perSecond));
    }
  };
  const done: Promise<void>[] = [];
  for (let i = 0; i < config.peers; i++) {
    let finished!: () => void;
    done.push(new Promise<void>((resolve) => (finished = resolve)));
    const server = new Server({
      privateKey: generatePrivateKey(),
      host: '127.0.0.1',
      port: 0,
      // One queued message, then the socket stops reading: TCP back-pressure reaches the victim at once.
      ...(config.malformed ? {} : { receiveQueueLimit: 1 }),
      capabilities: [
        rawWakuCapability(
          (stream) => storm((code, payload) => stream.send(code, payload)).finally(finished),
          {
            read: false,
          },
        ),
      ],
    });
    await server.start();
    servers.push(server);
    void server.dial(config.victimEnode).catch(() => finished());
  }
  void Promise.all(done).then(() => emit({ type: 'done', requests }));
  return {};
});
