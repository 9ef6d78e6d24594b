import { connect, type Socket } from 'node:net';
import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { Devp2pErrorCode } from '../src/index.js';
import { RecordingCapability, useStartedServers, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

// On Linux every 127.0.0.0/8 address is local: the attacker binds 127.0.0.2, honest peers 127.0.0.3, so the
// server on 127.0.0.1 sees two source addresses.
const ATTACKER = '127.0.0.2';
const HONEST = '127.0.0.3';

const started = useStartedServers();

/** Holds `count` silent sockets from `localAddress`, re-opening each `reopenMs` after the server closes it. */
function silentFlood(port: number, localAddress: string, count: number, reopenMs = 20) {
  let running = true;
  let opened = 0;
  const sockets = new Set<Socket>();
  const open = () => {
    if (!running) return;
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    opened++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => {
      sockets.delete(socket);
      if (running) setTimeout(open, reopenMs);
    });
  };
  for (let i = 0; i < count; i++) open();
  return {
    get opened() {
      return opened;
    },
    async stop() {
      running = false;
      for (const s of sockets) s.destroy();
      await waitFor(() => sockets.size === 0, 5000, 'attacker sockets closed');
    },
  };
}

describe('slowloris: silent sockets from one address', () => {
  it('maxPendingPerIp: an attacker holding more silent sockets than maxPendingPeers does not lock out an honest peer', async () => {
    const s = await started({
      capabilities: [new RecordingCapability()],
      maxPendingPeers: 10,
      maxPendingPerIp: 3,
      inboundThrottleMs: 0, // the throttle has its own test: here the per-address share alone must hold
      perIpLimitsOnLan: true,
      handshakeTimeoutMs: 1000,
    });
    const honest = await started({ capabilities: [new RecordingCapability()], listen: false });
    const attack = silentFlood(s.address!.port, ATTACKER, 15);
    await waitFor(() => attack.opened >= 30, 5000, 'the attack to cycle'); // some sockets already re-opened
    let succeeded = 0;
    const failures: string[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 60));
      try {
        const peer = await honest.dial(s.enode, { localAddress: HONEST });
        succeeded++;
        await waitFor(() => s.peers.length === 1, 5000, 'honest peer on the server');
        expect(s.peers[0]!.remoteAddress).toBe(HONEST); // the dial's localAddress was used
        peer.disconnect();
        await waitFor(() => s.peers.length === 0, 5000, 'honest peer gone');
      } catch (err) {
        failures.push(String((err as Error).message));
      }
    }
    await attack.stop();
    expect({ succeeded, failures }).toEqual({ succeeded: 5, failures: [] });
    const stats = s.stats;
    expect(stats.rejectedPendingPerIp).toBeGreaterThan(0);
    expect(stats.throttled).toBe(0);
    expect(stats.inboundAccepted).toBeGreaterThanOrEqual(5);
  });

  it('inboundThrottleMs: a second attempt from one address within the window is closed at once and counted', async () => {
    const clock = new ManualClock(1_000_000);
    const s = await started({
      capabilities: [new RecordingCapability()],
      clock,
      inboundThrottleMs: 30_000,
      perIpLimitsOnLan: true,
    });
    const port = s.address!.port;
    const first = await RawPeer.connect(port, s.id, { localAddress: ATTACKER });
    await expect(RawPeer.connect(port, s.id, { localAddress: ATTACKER })).rejects.toThrow(
      'closed during handshake',
    );
    expect(s.stats.throttled).toBe(1);
    // Another address is not affected.
    const other = await RawPeer.connect(port, s.id, { localAddress: HONEST });
    clock.advance(29_999);
    await expect(RawPeer.connect(port, s.id, { localAddress: ATTACKER })).rejects.toThrow(
      'closed during handshake',
    );
    expect(s.stats.throttled).toBe(2);
    // Once the window since the last accepted attempt is over, the address is accepted again.
    clock.advance(1);
    const again = await RawPeer.connect(port, s.id, { localAddress: ATTACKER });
    expect(s.stats).toMatchObject({ throttled: 2, inboundAccepted: 3, rejectedPendingPerIp: 0 });
    for (const raw of [first, other, again]) raw.socket.destroy();
  });

  it('by default LAN addresses (here loopback) are exempt from the per-address limits', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], maxPendingPerIp: 2 });
    const port = s.address!.port;
    const raws = await Promise.all(
      [0, 1, 2, 3].map(() => RawPeer.connect(port, s.id, { localAddress: ATTACKER })),
    );
    expect(s.stats).toMatchObject({ inboundAccepted: 4, throttled: 0, rejectedPendingPerIp: 0 });
    for (const raw of raws) raw.socket.destroy();
  });

  it('maxPendingPeers: connections beyond the global cap are closed at once and counted', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], maxPendingPeers: 2 });
    const port = s.address!.port;
    const held = [await RawPeer.tcp(port), await RawPeer.tcp(port)];
    await waitFor(() => s.stats.inboundAccepted === 2);
    const extra = await RawPeer.tcp(port);
    await extra.closed;
    expect(s.stats).toMatchObject({ inboundAccepted: 2, rejectedPending: 1 });
    for (const raw of held) raw.socket.destroy();
  });

  it('counts every peer error by code in stats.errors', async () => {
    const s = await started({ capabilities: [new RecordingCapability()] });
    const raw = await RawPeer.tcp(s.address!.port);
    raw.write(Uint8Array.of(0x08, 0x01)); // an auth declaring 2049 bytes
    await raw.closed;
    await waitFor(() => (s.stats.errors[Devp2pErrorCode.HandshakeTooLarge] ?? 0) === 1);
  });
});
