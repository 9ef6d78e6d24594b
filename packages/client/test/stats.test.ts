import { describe, expect, it } from 'vitest';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

describe('node.stats(): what a node counts, in one snapshot', () => {
  it('wire bytes, Waku and MVDS counters; totals keep what closed connections carried', async () => {
    const relayer = await started(localNode({ role: 'relayer' }));
    const alice = await started(
      localNode({
        staticPeers: [relayer.enode!],
      }),
    );
    await alice.waitForPeers();
    const fresh = alice.stats();
    expect(fresh.traffic.peers).toBe(1);
    expect(fresh.traffic.connections).toBe(1);
    expect(fresh.traffic.bytesOut).toBeGreaterThan(0); // the handshake, Hello and Waku status
    expect(fresh.discovery).toBeUndefined();
    expect(fresh.mailserver).toBeUndefined();

    alice.joinPublicChat('counted');
    await alice.sendPublicMessage('counted', 'count me');
    await alice.sendDirectMessage(relayer.identity.id, 'and me');
    await waitFor(() => alice.stats().mvds.payloadsSent >= 1, 'MVDS sends the 1:1 message');
    await waitFor(() => alice.stats().waku.envelopesPosted >= 2, 'both envelopes posted');
    const busy = alice.stats();
    expect(busy.traffic.bytesOut).toBeGreaterThan(fresh.traffic.bytesOut);

    // The relayer goes away: the connection's bytes stay in the totals.
    await relayer.stop();
    await waitFor(() => alice.stats().traffic.peers === 0, 'the connection closed');
    const after = alice.stats();
    expect(after.traffic.bytesOut).toBeGreaterThanOrEqual(busy.traffic.bytesOut);
    expect(after.traffic.bytesIn).toBeGreaterThanOrEqual(busy.traffic.bytesIn);
    expect(after.traffic.connections).toBe(1);
  });
});
