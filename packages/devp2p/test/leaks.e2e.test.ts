import { utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { DisconnectReason } from '../src/index.js';
import { makeServer, RecordingCapability, TrackingClock, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout') counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}

describe('stop() releases every socket and timer', () => {
  it('leaves no TCP handle or timer behind after a busy life', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const before = handles();
    const clock = new TrackingClock();
    const caps = [0, 1, 2].map(() => new RecordingCapability());
    const [a, b, c] = caps.map((cap, i) =>
      makeServer({
        capabilities: [cap],
        clock,
        staticRedialMinMs: 10_000,
        disconnectGraceMs: i === 1 ? 200 : 2000,
      }),
    );
    await Promise.all([a!.start(), b!.start(), c!.start()]);
    c!.addStaticPeer(a!.enode);
    await a!.dial(b!.enode);
    await waitFor(() => a!.peers.length === 2 && caps[0]!.streams.length === 2);
    for (const s of caps[0]!.streams) await s.send(0, utf8ToBytes('x'));
    expect(clock.pending).toBeGreaterThan(0); // ping intervals and read timers are running
    // A half-done handshake, a peer in the middle of disconnecting, and a static peer to re-dial.
    const pending = await RawPeer.tcp(b!.address!.port);
    const raw = await RawPeer.connect(b!.address!.port, b!.id, { allowHalfOpen: true });
    raw.hello();
    await waitFor(() => b!.peers.length === 2);
    b!.peers.find((p) => p.hello?.clientId === 'raw-peer')!.disconnect(DisconnectReason.ClientQuitting);
    await waitFor(() => c!.peers.length === 1);
    const cLostA = new Promise((r) => c!.once('peer:disconnected', r));
    await a!.stop();
    await cLostA; // c now waits to re-dial a
    await Promise.all([b!.stop(), c!.stop()]);
    pending.socket.destroy();
    raw.socket.destroy();
    await Promise.all([pending.closed, raw.closed]);
    expect(a!.peers.length + b!.peers.length + c!.peers.length).toBe(0);
    expect(clock.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const after = handles();
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  });
});
