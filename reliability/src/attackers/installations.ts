import { createStatusNode } from '@status-ts/client';
import { hexToBytes } from '@status-ts/core';
import { runChild } from '../child.js';

/**
 * Installations from one identity (issue 18, item 6): `installations` devices of the same chat key, each a
 * node of its own with a fresh installation id, each sending one 1:1 message to the victim, so the victim
 * learns every one of them (X3DH bundles), `parallel` at a time, through `relayerEnode`.
 */
export interface InstallationsConfig {
  readonly privateKeyHex: string;
  readonly victimChatId: string;
  readonly relayerEnode: string;
  readonly installations: number;
  readonly parallel: number;
}

await runChild<InstallationsConfig>(async ({ config, emit }) => {
  let sent = 0;
  let next = 0;
  const device = async () => {
    while (next < config.installations) {
      const index = next++;
      const node = createStatusNode({
        discovery: false,
        identity: { privateKey: hexToBytes(config.privateKeyHex) },
        installationId: `flood-${index}`,
        listen: false,
        staticPeers: [config.relayerEnode],
      });
      try {
        await node.start();
        await node.waitForPeers(1, { signal: AbortSignal.timeout(10_000) });
        const { id } = await node.sendDirectMessage(config.victimChatId, `device ${index}`);
        // Posted once MVDS hands it to Waku; then it leaves on the next relay cycle.
        for (let waited = 0; node.deliveryState(id) === 'sending' && waited < 10_000; waited += 50)
          await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise((resolve) => setTimeout(resolve, 700));
        sent++;
      } catch {
        // Counted by what the victim learnt.
      } finally {
        await node.stop();
      }
    }
  };
  void Promise.all(Array.from({ length: config.parallel }, device)).then(() => emit({ type: 'done', sent }));
  return {};
});
