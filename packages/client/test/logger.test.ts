import { enableLogging, type LogSink, loggerTo, setLogSink } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();
afterEach(() => {
  enableLogging('');
  setLogSink(() => {});
});

describe('a node’s logger, passed down to its layers', () => {
  it('each layer logs under the node’s logger, by its own name, and nothing of it reaches the global sink', async () => {
    const global: string[] = [];
    enableLogging('status-ts:*');
    setLogSink((namespace) => global.push(namespace));
    const lines: { namespace: string; message: string }[] = [];
    const sink: LogSink = (namespace, _level, message) => lines.push({ namespace, message });
    const relayer = await started(localNode({ role: 'relayer' }));
    const alice = await started(
      localNode({
        staticPeers: [relayer.enode!],
        logger: loggerTo(sink, 'alice'),
      }),
    );
    await alice.waitForPeers();
    await waitFor(() => lines.some((l) => l.namespace === 'alice:waku'), 'the waku layer logging');
    expect(lines.find((l) => l.namespace === 'alice:devp2p')?.message).toMatch(/^peer connected/);
    expect(lines.find((l) => l.namespace === 'alice:waku')?.message).toMatch(/^peer %s ready/);
    // The relayer has no logger of its own: its lines go to the global sink; none of Alice's do.
    expect(global).toContain('status-ts:devp2p');
    expect(global.some((namespace) => namespace.startsWith('alice'))).toBe(false);
    const before = global.length;
    const aliceOnly = lines.length;
    await alice.stop();
    await waitFor(() => lines.length > aliceOnly, 'alice logs her disconnect');
    expect(lines.slice(aliceOnly).every((l) => l.namespace.startsWith('alice:'))).toBe(true);
    expect(global.length).toBeGreaterThanOrEqual(before);
  });
});
