import { createStatusNode, type StatusNode, type StatusNodeOptions } from '@status-ts/client';
import { generatePrivateKey } from '@status-ts/crypto';
import type { ChildHandle } from './spawn.js';

/**
 * Honest peers run in the test's own process, each listening on an address of its own in 127.0.0.0/8 (on
 * Linux the whole block is local): the victim dials them, so its per-IP limits see one address per honest
 * peer and another for each attacker, as on a real network.
 */
export async function honestNode(
  host: string,
  options: Partial<StatusNodeOptions> = {},
): Promise<StatusNode> {
  const node = createStatusNode({
    identity: { privateKey: generatePrivateKey() },
    discovery: false,
    listen: { host, port: 0 },
    ...options,
  });
  await node.start();
  return node;
}

/** Has the victim dial each node, then waits until each sees the victim as a Waku peer. */
export async function connectToVictim(
  victim: Pick<ChildHandle, 'request'>,
  nodes: readonly StatusNode[],
): Promise<void> {
  for (const node of nodes) await victim.request('dial', { enode: node.enode });
  await Promise.all(nodes.map((node) => node.waitForPeers(1, { signal: AbortSignal.timeout(15_000) })));
}

/** Sends a public message from `from` and resolves when `to` has it (the probe of relayed service). */
export function publicRoundTrip(from: StatusNode, to: StatusNode, chat: string, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: { text?: string }) => {
      if (message.text !== text) return;
      to.off('message', onMessage);
      resolve();
    };
    to.on('message', onMessage);
    from.sendPublicMessage(chat, text).catch((error: unknown) => {
      to.off('message', onMessage);
      reject(error);
    });
  });
}
