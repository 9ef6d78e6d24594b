import { utf8ToBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type CapabilityStream,
  type Devp2pError,
  Devp2pErrorCode,
  DisconnectReason,
  type Server,
} from '../src/index.js';
import { once, RecordingCapability, useStartedServers, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

const started = useStartedServers();

function collectErrors(s: Server): Devp2pError[] {
  const errors: Devp2pError[] = [];
  s.on('peer:error', (e) => errors.push(e));
  return errors;
}

describe('timers', () => {
  it('pings every pingIntervalMs and keeps a quiet but alive link up past readTimeoutMs', async () => {
    const opts = { pingIntervalMs: 40, readTimeoutMs: 150 };
    const a = await started({ capabilities: [new RecordingCapability()], ...opts });
    const b = await started({ capabilities: [new RecordingCapability()], ...opts });
    const peer = await a.dial(b.enode);
    const before = peer.stats.messagesIn;
    await new Promise((r) => setTimeout(r, 500));
    expect(peer.state).toBe('connected');
    expect(peer.stats.messagesIn - before).toBeGreaterThanOrEqual(5); // Pings and Pongs
  });

  it('disconnects a silent peer with reason 0x0b after readTimeoutMs', async () => {
    const s = await started({
      capabilities: [new RecordingCapability()],
      pingIntervalMs: 10_000,
      readTimeoutMs: 150,
    });
    const errors = collectErrors(s);
    const raw = await RawPeer.connect(s.address!.port, s.id);
    raw.hello();
    const start = Date.now();
    expect(await raw.disconnectReason()).toBe(DisconnectReason.ReadTimeout);
    expect(Date.now() - start).toBeGreaterThanOrEqual(120);
    expect(errors.map((e) => e.code)).toEqual([Devp2pErrorCode.ReadTimeout]);
  });

  it('gives up on a handshake after handshakeTimeoutMs (no auth, or no Hello)', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], handshakeTimeoutMs: 150 });
    const errors = collectErrors(s);
    const silent = await RawPeer.tcp(s.address!.port);
    await silent.closed;
    const noHello = await RawPeer.connect(s.address!.port, s.id);
    expect(await noHello.disconnectReason()).toBe(DisconnectReason.ReadTimeout);
    expect(errors.map((e) => e.code)).toEqual([
      Devp2pErrorCode.HandshakeTimeout,
      Devp2pErrorCode.HandshakeTimeout,
    ]);
  });

  it('destroys the socket disconnectGraceMs after Disconnect when the peer does not close', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], disconnectGraceMs: 1_000 });
    const timeToClose = async (allowHalfOpen: boolean) => {
      const raw = await RawPeer.connect(s.address!.port, s.id, { allowHalfOpen });
      raw.hello();
      await waitFor(() => s.peers.length === 1);
      const gone = once(s, 'peer:disconnected');
      const start = Date.now();
      s.peers[0]!.disconnect(DisconnectReason.ClientQuitting);
      await gone;
      await waitFor(() => raw.frames.some((f) => f.code === 1));
      raw.socket.destroy();
      return Date.now() - start;
    };
    // Wide margins: on a loaded machine the close itself can take a few hundred milliseconds.
    expect(await timeToClose(false)).toBeLessThan(800); // the peer closes on our FIN
    expect(await timeToClose(true)).toBeGreaterThanOrEqual(950); // it does not: we wait the grace time
  });
});

describe('buffers', () => {
  it('send waits for drain above writeBufferLimit and resolves at once below it', async () => {
    const capA = new RecordingCapability();
    const capB = new RecordingCapability();
    const a = await started({ capabilities: [capA], writeBufferLimit: 300_000 });
    const b = await started({ capabilities: [capB] });
    await a.dial(b.enode);
    await waitFor(() => capA.streams.length === 1);
    const stream = capA.streams[0]!;
    const state = async (size: number) => {
      let done = false;
      const sent = stream.send(0, randomBytes(size)).then(() => (done = true));
      await Promise.resolve();
      await Promise.resolve();
      const early = done;
      await sent;
      return early;
    };
    expect(await state(200_000)).toBe(true);
    expect(await state(400_000)).toBe(false);
    await waitFor(() => capB.received.length === 2);
  });

  it('stops reading the socket while a capability lags more than receiveQueueLimit messages', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let receiver: CapabilityStream | undefined;
    const got: number[] = [];
    const b = await started({
      receiveQueueLimit: 8,
      capabilities: [
        {
          name: 'test',
          version: 1,
          length: 8,
          async attach(stream) {
            receiver = stream;
            await gate;
            for await (const m of stream.messages())
              got.push(new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(0));
          },
        },
      ],
    });
    const capA = new RecordingCapability();
    const a = await started({ capabilities: [capA], protocolVersion: 4 });
    await a.dial(b.enode);
    await waitFor(() => capA.streams.length === 1 && receiver !== undefined);
    const total = 6000;
    const sending = (async () => {
      for (let i = 0; i < total; i++) {
        const payload = new Uint8Array(1024);
        new DataView(payload.buffer).setUint32(0, i);
        await capA.streams[0]!.send(0, payload);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const peerOnB = b.peers[0]!;
    expect(peerOnB.stats.messagesIn).toBeLessThan(total); // paused: the rest waits in TCP buffers
    release();
    await sending;
    await waitFor(() => got.length === total, 10_000, 'all messages after resume');
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});

describe('size limits (options)', () => {
  it('maxMessageSize: a snappy body declaring more than the limit disconnects', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], maxMessageSize: 1024 });
    const errors = collectErrors(s);
    const raw = await RawPeer.connect(s.address!.port, s.id);
    raw.hello({ version: 5 });
    raw.send(0x10, Uint8Array.of(0x81, 0x08, 0x00)); // declares 1025 bytes
    expect(await raw.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    expect(errors.map((e) => e.code)).toEqual([Devp2pErrorCode.SnappyTooLarge]);
  });

  it('maxHelloSize: a larger Hello disconnects', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], maxHelloSize: 256 });
    const errors = collectErrors(s);
    const raw = await RawPeer.connect(s.address!.port, s.id);
    raw.hello({ caps: Array.from({ length: 40 }, (_, i) => ({ name: `cap${i}`, version: i })) });
    expect(await raw.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    expect(errors.map((e) => e.code)).toEqual([Devp2pErrorCode.BadHello]);
  });

  it('maxHandshakeSize: an auth above a lowered cap is refused', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], maxHandshakeSize: 300 });
    const errors = collectErrors(s);
    const raw = await RawPeer.tcp(s.address!.port);
    raw.write(Uint8Array.of(0x01, 0x2d, ...new Uint8Array(301))); // 301 > 300
    await raw.closed;
    expect(errors.map((e) => e.code)).toEqual([Devp2pErrorCode.HandshakeTooLarge]);
    const a = await started({ capabilities: [new RecordingCapability()] });
    await expect(a.dial(s.enode)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_/) }); // our auth is > 300 bytes
    expect(utf8ToBytes('x').length).toBe(1);
  });
});
