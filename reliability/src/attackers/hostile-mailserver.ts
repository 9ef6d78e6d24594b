import { randomBytes } from 'node:crypto';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { Envelope, encodeP2PMessages, WakuCode } from '@status-ts/waku';
import { runChild } from '../child.js';
import { rawWakuCapability } from './raw-waku.js';

/**
 * A mailserver the victim trusts that overwhelms it (issue 18, item 9; the spec's own warning): as soon as it
 * is connected it sends P2P messages nobody asked for, and it answers a history request with `packets`
 * P2P packets of `perPacket` envelopes on `topic` each, far beyond the limit asked for, never completing.
 */
export interface HostileMailserverConfig {
  readonly topic: string;
  readonly packets: number;
  readonly perPacket: number;
}

function junk(topic: Uint8Array, count: number): Envelope[] {
  const sent = Math.floor(Date.now() / 1000) - 60;
  return Array.from({ length: count }, () =>
    Envelope.create({ expiry: sent + 10, ttl: 10, topic, data: randomBytes(200) }),
  );
}

await runChild<HostileMailserverConfig>(async ({ config, emit }) => {
  const topic = Buffer.from(config.topic, 'hex');
  let packets = 0;
  const server = new Server({
    privateKey: generatePrivateKey(),
    host: '127.0.0.2',
    port: 0,
    capabilities: [
      // The attack reads the stream itself (for the request), so the capability does not.
      rawWakuCapability(
        async (stream) => {
          // Unasked history right away, then a flood once a request comes in.
          await stream.send(WakuCode.P2PMessage, encodeP2PMessages(junk(topic, config.perPacket)));
          packets++;
          for await (const message of stream.messages()) {
            if (message.code !== WakuCode.P2PRequest) continue;
            for (let i = 0; i < config.packets; i++) {
              await stream.send(WakuCode.P2PMessage, encodeP2PMessages(junk(topic, config.perPacket)));
              packets++;
            }
            emit({ type: 'flooded', packets });
          }
        },
        { read: false },
      ),
    ],
  });
  await server.start();
  return { enode: server.enode };
});
