import { type DemoNode, type Greeting, startDemoNode } from './node.js';

export interface LocalNetwork {
  nodes: DemoNode[];
  stop(): Promise<void>;
}

export interface LocalNetworkOptions {
  /** How many nodes, default 5. */
  size?: number;
  onGreeting?: (g: Greeting) => void;
  /** How long to wait for every link, default 10 s. */
  timeoutMs?: number;
}

/**
 * Starts `size` nodes and links them in a ring (each dials the next through its ENR), then waits until
 * every node has greeted both neighbours.
 */
export async function startLocalNetwork(options: LocalNetworkOptions = {}): Promise<LocalNetwork> {
  const size = options.size ?? 5;
  const nodes: DemoNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.server.stop()));
  };
  try {
    for (let i = 0; i < size; i++) nodes.push(await startDemoNode(options.onGreeting));
    const expected = size < 3 ? size - 1 : 2;
    const allGreeted = waitFor(
      () => nodes.every((n) => n.greetings.length >= expected),
      options.timeoutMs ?? 10_000,
    );
    if (size > 1) {
      const links = size === 2 ? 1 : size;
      await Promise.all(
        Array.from({ length: links }, (_, i) => nodes[i]!.server.dial(nodes[(i + 1) % size]!.enr)),
      );
    }
    await allGreeted;
    return { nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (done()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`the local network did not link up within ${timeoutMs} ms`));
      }
    }, 10);
  });
}
