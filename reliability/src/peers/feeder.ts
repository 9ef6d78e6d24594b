import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import {
  type Envelope,
  encodeEnvelopeList,
  STATUS_POW_TARGET,
  sealEnvelopeSync,
  WakuCode,
} from '@status-ts/waku';
import { rawWakuCapability } from '../attackers/raw-waku.js';
import { runChild } from '../child.js';

/**
 * An honest traffic source: dials `targetEnode` and sends `perSecond` fresh envelopes a second (Status PoW and
 * TTL, sealed as they go) on `topic`, in packets every 200 ms, until stopped or `total` are sent. Emits the
 * hashes it sent in each packet, so a test can account for every one.
 */
export interface FeederConfig {
  readonly targetEnode: string;
  readonly perSecond: number;
  readonly total: number;
  readonly topic: string;
  readonly dataBytes: number;
}

await runChild<FeederConfig>(async ({ config, emit, handle }) => {
  let stopped = false;
  let sent = 0;
  handle('stop', () => {
    stopped = true;
    return sent;
  });
  const topic = Buffer.from(config.topic, 'hex');
  const feed = async (send: (code: number, payload: Uint8Array) => Promise<void>) => {
    const perPacket = Math.max(1, Math.round(config.perSecond / 5));
    while (!stopped && sent < config.total) {
      const now = Math.floor(Date.now() / 1000);
      const batch: Envelope[] = [];
      for (let i = 0; i < perPacket && sent + batch.length < config.total; i++) {
        const fields = { expiry: now + 10, ttl: 10, topic, data: randomBytes(config.dataBytes) };
        batch.push(sealEnvelopeSync(fields, { pow: STATUS_POW_TARGET }).envelope);
      }
      await send(WakuCode.Messages, encodeEnvelopeList(batch));
      sent += batch.length;
      emit({ type: 'sent', hashes: batch.map((e) => e.hashHex) });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    emit({ type: 'done', sent });
  };
  const server = new Server({
    privateKey: generatePrivateKey(),
    host: '127.0.0.1',
    port: 0,
    capabilities: [rawWakuCapability((stream) => feed((code, payload) => stream.send(code, payload)))],
  });
  await server.start();
  await server.dial(config.targetEnode);
  return {};
});
