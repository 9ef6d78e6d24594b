import { generatePrivateKey } from '@status-ts/crypto';
import type { EnvelopeStore } from '@status-ts/mailserver';
import type { Topic } from '@status-ts/waku';
import { afterEach } from 'vitest';
import { createStatusNode, type StatusNode, type StatusNodeOptions } from '../src/index.js';

/** Waits (wall clock: real sockets) until `check` holds, or fails after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until the mailserver node's archive holds `count` envelopes on `topic` (other envelopes, such as
 * the contact codes nodes publish on start, do not count).
 */
export async function waitForArchived(
  mailserver: { mailserver: { store: EnvelopeStore } | undefined },
  topic: Topic,
  count: number,
  timeoutMs = 20_000,
): Promise<void> {
  const store = mailserver.mailserver!.store;
  const started = Date.now();
  for (;;) {
    const page = await store.query({ lower: 0, upper: 2 ** 32 - 1, topics: [topic], limit: count });
    if (page.envelopes.length >= count) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${count} archived envelopes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Nodes a test file starts, stopped after each test (even a failed one): `started(node)` starts one and
 * keeps it; push to `running` a node started some other way.
 */
export function useNodes(): { running: StatusNode[]; started(node: StatusNode): Promise<StatusNode> } {
  const running: StatusNode[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((node) => node.stop()));
  });
  return {
    running,
    async started(node) {
      running.push(node);
      await node.start();
      return node;
    },
  };
}

/** A node with a fresh key and no discovery (tests never reach the real fleet); `options` on top. */
export function localNode(options: Partial<StatusNodeOptions> = {}): StatusNode {
  return createStatusNode({ discovery: false, identity: { privateKey: generatePrivateKey() }, ...options });
}
