import { getEventListeners } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { bytesToHex, ManualClock, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Capability,
  type CapabilityStream,
  type Devp2pError,
  Devp2pErrorCode,
  DisconnectReason,
  type Server,
} from '../src/index.js';
import { makeServer, once, RecordingCapability, TrackingClock, waitFor } from './helpers/nodes.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function node(...args: Parameters<typeof makeServer>): Server {
  const s = makeServer(...args);
  servers.push(s);
  return s;
}

async function started(...args: Parameters<typeof makeServer>): Promise<Server> {
  const s = node(...args);
  await s.start();
  return s;
}

describe('Server over real sockets', () => {
  it('connects two nodes, exchanges messages both ways and reports who disconnected and why', async () => {
    const capA = new RecordingCapability();
    const capB = new RecordingCapability();
    const a = await started({ capabilities: [capA] });
    const b = await started({ capabilities: [capB] });
    const connectedOnB = once(b, 'peer:connected');
    const peer = await a.dial(b.enode);
    await connectedOnB;
    expect(bytesToHex(peer.id)).toBe(bytesToHex(b.id));
    expect(peer.direction).toBe('outbound');
    expect(peer.snappy).toBe(true);
    expect(peer.hello?.clientId).toBe('status-ts/devp2p');
    await waitFor(() => capA.streams.length === 1 && capB.streams.length === 1);
    expect(capA.streams[0]!.version).toBe(1);
    await capA.streams[0]!.send(3, utf8ToBytes('hello b'));
    await capB.streams[0]!.send(5, utf8ToBytes('hello a'));
    await waitFor(() => capA.received.length === 1 && capB.received.length === 1);
    expect(capB.received[0]).toMatchObject({ code: 3, payload: utf8ToBytes('hello b') });
    expect(capA.received[0]).toMatchObject({ code: 5, payload: utf8ToBytes('hello a') });
    expect(peer.stats.bytesOut).toBeGreaterThan(0);
    expect(peer.stats.bytesIn).toBeGreaterThan(0);
    expect(peer.stats.messagesOut).toBeGreaterThanOrEqual(2); // Hello + the message
    const onA = once(a, 'peer:disconnected');
    const onB = once(b, 'peer:disconnected');
    peer.disconnect(DisconnectReason.TooManyPeers);
    expect((await onA)[1]).toMatchObject({ reason: DisconnectReason.TooManyPeers, initiator: 'local' });
    expect((await onB)[1]).toMatchObject({ reason: DisconnectReason.TooManyPeers, initiator: 'remote' });
    expect(capA.streams[0]!.closed).toBe(true);
    await waitFor(() => a.peers.length === 0 && b.peers.length === 0);
  });

  it('runs without snappy when either side announces version 4', async () => {
    const capA = new RecordingCapability();
    const capB = new RecordingCapability();
    const a = await started({ capabilities: [capA], protocolVersion: 4 });
    const b = await started({ capabilities: [capB] });
    const peer = await a.dial(b.enode);
    expect(peer.snappy).toBe(false);
    await waitFor(() => capB.streams.length === 1);
    await capA.streams[0]!.send(0, new Uint8Array(5000).fill(1));
    await waitFor(() => capB.received.length === 1);
    expect(capB.received[0]!.payload).toEqual(new Uint8Array(5000).fill(1));
    expect(b.peers[0]!.snappy).toBe(false);
  });

  it('rejects a second connection to the same node id (dial and inbound)', async () => {
    const key = generatePrivateKey();
    const a1 = await started({ privateKey: key, capabilities: [new RecordingCapability()] });
    const a2 = await started({ privateKey: key, capabilities: [new RecordingCapability()] });
    const b = await started({ capabilities: [new RecordingCapability()] });
    await a1.dial(b.enode);
    await expect(a1.dial(b.enode)).rejects.toMatchObject({
      code: Devp2pErrorCode.PeerRejected,
      details: { reason: DisconnectReason.AlreadyConnected },
    });
    await expect(a2.dial(b.enode)).rejects.toMatchObject({
      code: Devp2pErrorCode.PeerRejected,
      details: { reason: DisconnectReason.AlreadyConnected, initiator: 'remote' },
    });
    expect(b.peers.length).toBe(1);
  });

  it('keeps exactly one of two simultaneous connections, the same one on both ends', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await started({ capabilities: [new RecordingCapability()] });
      const b = await started({ capabilities: [new RecordingCapability()] });
      await Promise.allSettled([a.dial(b.enode), b.dial(a.enode)]);
      await waitFor(() => a.peers.length === 1 && b.peers.length === 1, 5000, 'one peer each');
      await new Promise((r) => setTimeout(r, 50));
      expect(a.peers.length).toBe(1);
      expect(b.peers.length).toBe(1);
      expect(a.peers[0]!.direction === 'outbound').toBe(b.peers[0]!.direction === 'inbound');
      expect(a.peers[0]!.state).toBe('connected');
    }
  });

  it('detects a connection to itself on both ends', async () => {
    const a = await started({ capabilities: [new RecordingCapability()] });
    await expect(a.dial(a.enode)).rejects.toMatchObject({
      code: Devp2pErrorCode.PeerRejected,
      details: { reason: DisconnectReason.SelfConnection },
    });
    expect(a.peers.length).toBe(0);
  });

  it('limits peers (maxPeers) with an inbound share (maxInboundPeers)', async () => {
    const hub = await started({ capabilities: [new RecordingCapability()], maxPeers: 3, maxInboundPeers: 2 });
    const clients = await Promise.all(
      [0, 1, 2, 3, 4].map(() => started({ capabilities: [new RecordingCapability()] })),
    );
    await clients[0]!.dial(hub.enode);
    await clients[1]!.dial(hub.enode);
    await expect(clients[2]!.dial(hub.enode)).rejects.toMatchObject({
      details: { reason: DisconnectReason.TooManyPeers, initiator: 'remote' },
    });
    await hub.dial(clients[3]!.enode); // the outbound slot
    expect(hub.peers.length).toBe(3);
    await expect(hub.dial(clients[4]!.enode)).rejects.toMatchObject({
      code: Devp2pErrorCode.PeerRejected,
      details: { reason: DisconnectReason.TooManyPeers, initiator: 'local' },
    });
  });

  it('drops connections beyond maxPendingPeers while still in the handshake', async () => {
    const { RawPeer } = await import('./helpers/raw-peer.js');
    const hub = await started({ capabilities: [new RecordingCapability()], maxPendingPeers: 1 });
    const first = await RawPeer.tcp(hub.address!.port);
    await new Promise((r) => setTimeout(r, 30));
    const second = await RawPeer.tcp(hub.address!.port);
    await second.closed; // destroyed at once
    expect(first.socket.destroyed).toBe(false);
    first.socket.destroy();
  });

  it('re-dials static peers with exponential backoff (staticRedialMinMs / MaxMs)', async () => {
    const clock = new ManualClock(0);
    const b = await started({ capabilities: [new RecordingCapability()] });
    const enode = b.enode;
    const a = node({
      capabilities: [new RecordingCapability()],
      clock,
      staticRedialMinMs: 1000,
      staticRedialMaxMs: 4000,
    });
    a.addStaticPeer(enode);
    const connected = once(a, 'peer:connected');
    await a.start();
    clock.runDue();
    await connected;
    await waitFor(() => b.peers.length === 1);
    // The remote drops us: re-dialed after the first backoff step.
    const dropped = once(a, 'peer:disconnected');
    b.peers[0]!.disconnect(DisconnectReason.DisconnectRequested);
    await dropped;
    const again = once(a, 'peer:connected');
    clock.advance(999);
    await new Promise((r) => setTimeout(r, 30));
    expect(a.peers.length).toBe(0);
    clock.advance(1);
    await again;
    // Now the remote is gone: failures back off 1 s, 2 s, 4 s, 4 s.
    await b.stop();
    await waitFor(() => a.peers.length === 0);
    const failures: number[] = [];
    a.on('peer:error', (e) => failures.push(clock.now()) && e);
    const expectFailureAfter = async (ms: number) => {
      const n = failures.length;
      clock.advance(ms - 1);
      await new Promise((r) => setTimeout(r, 30));
      expect(failures.length).toBe(n);
      clock.advance(1);
      await waitFor(() => failures.length === n + 1, 3000, 'redial failure');
    };
    await expectFailureAfter(1000);
    await expectFailureAfter(2000);
    await expectFailureAfter(4000);
    await expectFailureAfter(4000);
  });

  it('fails a dial that does not connect within dialTimeoutMs', async () => {
    const clock = new ManualClock(0);
    const b = await started({ capabilities: [new RecordingCapability()] });
    const a = node({ capabilities: [new RecordingCapability()], clock, dialTimeoutMs: 500 });
    await a.start();
    const dial = a.dial(b.enode);
    clock.advance(500); // before the TCP connect could complete
    await expect(dial).rejects.toMatchObject({ code: Devp2pErrorCode.DialTimeout });
  });

  it("an abort before the TCP connection is up rejects with the signal's reason, without peer:error", async () => {
    const clock = new ManualClock(0);
    const b = await started({ capabilities: [new RecordingCapability()] });
    const a = node({ capabilities: [new RecordingCapability()], clock });
    await a.start();
    const errors: Devp2pError[] = [];
    a.on('peer:error', (e) => errors.push(e));
    const controller = new AbortController();
    const dial = a.dial(b.enode, { signal: controller.signal });
    controller.abort(); // before the TCP connect could complete
    await expect(dial).rejects.toBe(controller.signal.reason);
    await expect(dial).rejects.toMatchObject({ name: 'AbortError' });
    expect(errors).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Already aborted: refused before a socket is opened. The node is dialable again afterwards.
    await expect(a.dial(b.enode, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const live = new AbortController();
    const peer = await a.dial(b.enode, { signal: live.signal });
    expect(bytesToHex(peer.id)).toBe(bytesToHex(b.id));
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('an abort mid-handshake closes the connection and rejects with the reason', async () => {
    // A TCP listener that accepts and never answers the RLPx auth message.
    const accepted: Socket[] = [];
    const mute = createServer((socket) => {
      accepted.push(socket);
      socket.resume(); // read (and drop) the auth message, so the close is seen
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const port = (mute.address() as { port: number }).port;
    try {
      const clock = new TrackingClock();
      const a = await started({ capabilities: [new RecordingCapability()], clock });
      const errors: Devp2pError[] = [];
      a.on('peer:error', (e) => errors.push(e));
      const target = `enode://${bytesToHex(node().id)}@127.0.0.1:${port}`;
      const controller = new AbortController();
      const dial = a.dial(target, { signal: controller.signal });
      await waitFor(() => accepted.length === 1, 5000, 'the TCP connection');
      const closed = new Promise((resolve) => accepted[0]!.once('close', resolve));
      const reason = new Error('user cancelled');
      controller.abort(reason);
      await expect(dial).rejects.toBe(reason);
      await closed;
      await waitFor(() => clock.pending === 0, 2000, 'handshake timers released');
      expect(a.peers).toEqual([]);
      expect(errors).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it('dials an enr: text record, a decoded Enr and a NodeAddress', async () => {
    const key = generatePrivateKey();
    const b = await started({ privateKey: key, capabilities: [new RecordingCapability()] });
    const record = Enr.create({ privateKey: key, ip: '127.0.0.1', tcp: b.address!.port });
    const targets = [record.encodeText(), record, record.toNodeAddress()];
    for (const target of targets) {
      const a = await started({ capabilities: [new RecordingCapability()] });
      const peer = await a.dial(target);
      expect(bytesToHex(peer.id)).toBe(bytesToHex(b.id));
    }
  });

  it('speaks the legacy (pre-EIP-8) handshake when dialing with it, and the recipient answers in kind', async () => {
    const capB = new RecordingCapability();
    const b = await started({ capabilities: [capB] });
    const a = await started({ capabilities: [new RecordingCapability()], handshakeFormat: 'legacy' });
    const peer = await a.dial(b.enode);
    await waitFor(() => capB.streams.length === 1);
    await peer.stream('test')!.send(2, utf8ToBytes('old school'));
    await waitFor(() => capB.received.length === 1);
    expect(capB.received[0]!.code).toBe(2);
  });

  it('rejects bad dial targets and dials before start with typed errors', async () => {
    const a = node();
    await expect(a.dial('enode://nope')).rejects.toMatchObject({ code: Devp2pErrorCode.NotRunning });
    await a.start();
    await expect(a.dial('enode://nope')).rejects.toMatchObject({ code: Devp2pErrorCode.BadAddress });
    await expect(a.dial(`enode://${bytesToHex(a.id)}`)).rejects.toMatchObject({
      code: Devp2pErrorCode.BadAddress,
      message: 'the node has no IP address to dial (no @host in the URL, no ip in the ENR)',
    });
    await expect(a.dial(`enode://${bytesToHex(a.id)}@127.0.0.1:0`)).rejects.toMatchObject({
      code: Devp2pErrorCode.BadAddress,
      message: 'the node at 127.0.0.1 has no TCP port to dial',
    });
  });

  it('disconnects only the peer whose capability handler throws (reason 0x10)', async () => {
    const hubCap = new RecordingCapability('test', 1, 8, (_s, msg) => {
      if (new TextDecoder().decode(msg.payload) === 'poison') throw new Error('handler bug');
    });
    const hub = await started({ capabilities: [hubCap] });
    const good = new RecordingCapability();
    const bad = new RecordingCapability();
    const g = await started({ capabilities: [good] });
    const x = await started({ capabilities: [bad] });
    await g.dial(hub.enode);
    await x.dial(hub.enode);
    await waitFor(() => good.streams.length === 1 && bad.streams.length === 1 && hub.peers.length === 2);
    const errors: Devp2pError[] = [];
    hub.on('peer:error', (e) => errors.push(e));
    const dropped = once(x, 'peer:disconnected');
    await bad.streams[0]!.send(0, utf8ToBytes('poison'));
    expect((await dropped)[1]).toMatchObject({
      reason: DisconnectReason.SubprotocolError,
      initiator: 'remote',
    });
    expect(errors.map((e) => e.code)).toEqual([Devp2pErrorCode.CapabilityFailed]);
    await good.streams[0]!.send(0, utf8ToBytes('fine'));
    await waitFor(() => hubCap.received.some((m) => new TextDecoder().decode(m.payload) === 'fine'));
    expect(hub.peers.length).toBe(1);
  });

  it('disconnects a peer whose capability attach throws synchronously', async () => {
    const broken: Capability = {
      name: 'test',
      version: 1,
      length: 8,
      attach: () => {
        throw new Error('nope');
      },
    };
    const hub = await started({ capabilities: [broken] });
    const a = await started({ capabilities: [new RecordingCapability()] });
    const errors: Devp2pError[] = [];
    hub.on('peer:error', (e) => errors.push(e));
    await a.dial(hub.enode).catch(() => undefined);
    await waitFor(() => errors.length === 1 && hub.peers.length === 0 && a.peers.length === 0);
    expect(errors[0]!.code).toBe(Devp2pErrorCode.CapabilityFailed);
  });

  it('CapabilityStream: relative codes checked, one consumer, close(reason)', async () => {
    const capA = new RecordingCapability();
    let streamB: CapabilityStream | undefined;
    const b = await started({
      capabilities: [
        {
          name: 'test',
          version: 1,
          length: 8,
          attach: (s) => {
            streamB = s;
          },
        },
      ],
    });
    const a = await started({ capabilities: [capA] });
    await a.dial(b.enode);
    await waitFor(() => streamB !== undefined && capA.streams.length === 1);
    await expect(streamB!.send(8, new Uint8Array(1))).rejects.toMatchObject({
      code: Devp2pErrorCode.InvalidSend,
    });
    await expect(streamB!.send(-1, new Uint8Array(1))).rejects.toMatchObject({
      code: Devp2pErrorCode.InvalidSend,
    });
    expect(bytesToHex(streamB!.remoteId)).toBe(bytesToHex(a.id));
    // The socket address rides along for per-IP limits in subprotocols.
    expect(streamB!.remoteAddress).toBe('127.0.0.1');
    streamB!.messages();
    expect(() => streamB!.messages()).toThrow(expect.objectContaining({ code: Devp2pErrorCode.InvalidSend }));
    const dropped = once(a, 'peer:disconnected');
    streamB!.close(DisconnectReason.UselessPeer);
    expect((await dropped)[1]).toMatchObject({ reason: DisconnectReason.UselessPeer, initiator: 'remote' });
    await expect(streamB!.send(0, new Uint8Array(1))).rejects.toMatchObject({
      code: Devp2pErrorCode.ConnectionClosed,
    });
    // A send that nobody awaits after the peer is gone does not crash the process.
    void capA.streams[0]!.send(0, new Uint8Array(1));
  });
});
