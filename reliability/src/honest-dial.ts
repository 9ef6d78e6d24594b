import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { rawWakuCapability } from './attackers/raw-waku.js';

/**
 * An honest RLPx dialer: a full handshake and Hello with a waku/1 capability, from a source address of its
 * choosing, then a clean disconnect. What "the node still takes new peers" means during an attack.
 */
export async function honestDialer(): Promise<{
  dial(enode: string, localAddress: string): Promise<void>;
  stop(): Promise<void>;
}> {
  const server = new Server({
    privateKey: generatePrivateKey(),
    listen: false,
    capabilities: [rawWakuCapability(async () => undefined)],
  });
  await server.start();
  return {
    async dial(enode, localAddress) {
      const peer = await server.dial(enode, { localAddress, signal: AbortSignal.timeout(10_000) });
      peer.disconnect();
    },
    stop: () => server.stop(),
  };
}
