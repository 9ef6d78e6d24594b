import { once } from 'node:events';
import net from 'node:net';
import { bytesToHex, ManualClock } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Devp2pErrorCode, DisconnectReason, P2pMessageCode, type Peer, Server } from '../src/index.js';
import { RecordingCapability, useStartedServers, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

// Each test drives the behaviour at the number the devp2p spec or go-ethereum fixes, with the number written
// here as a literal: changing the default in src/constants.ts makes the matching test fail.

const started = useStartedServers();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Lets socket reads and writes already under way arrive (real sockets on 127.0.0.1). */
const flush = () => new Promise((resolve) => setTimeout(resolve, 50));

/** A dial we can look at without awaiting: `settled` turns true once it resolves or rejects. */
function watch(dial: Promise<Peer>) {
  const state = { settled: false, error: undefined as unknown };
  dial.then(
    () => {
      state.settled = true;
    },
    (err: unknown) => {
      state.settled = true;
      state.error = err;
    },
  );
  return state;
}

function enodeOf(port: number): string {
  return `enode://${bytesToHex(getPublicKey(generatePrivateKey(), 'raw'))}@127.0.0.1:${port}`;
}

/** A server with a ManualClock and a raw peer that completed the handshake and Hello, then stays silent. */
async function silentConnectedPeer() {
  const clock = new ManualClock(1_000_000);
  const server = await started({ capabilities: [new RecordingCapability()], clock });
  const raw = await RawPeer.connect(server.address!.port, server.id);
  raw.hello();
  await waitFor(() => server.peers.length === 1, 5000, 'the peer to connect');
  return { clock, server, raw };
}

describe('default listen port 30303 (devp2p spec, go-ethereum)', () => {
  it('a Server created without a port listens on, advertises and announces 30303', async () => {
    // No port option: the default is what is under test.
    const server = new Server({
      privateKey: generatePrivateKey(),
      host: '127.0.0.1',
      capabilities: [new RecordingCapability()],
    });
    try {
      const failure = await server.start().then(
        () => undefined,
        (error: unknown) => error as NodeJS.ErrnoException & { port?: number },
      );
      if (failure?.code === 'EADDRINUSE') {
        // Another program (an Ethereum node, say) holds it: the bind attempt still names the default port.
        expect(failure.port).toBe(30303);
        return;
      }
      expect(failure).toBeUndefined();
      expect(server.address?.port).toBe(30303);
      expect(server.enode).toMatch(/@127\.0\.0\.1:30303(\?|$)/);
      // A peer that connects to 30303 reads it as the listen port of our Hello.
      const dialer = await started({ listen: false, capabilities: [new RecordingCapability()] });
      const peer = await dialer.dial(server.enode);
      expect(peer.hello?.listenPort).toBe(30303);
    } finally {
      await server.stop();
    }
  });
});

describe('ping interval 15 s (devp2p spec; go-ethereum pingInterval)', () => {
  it('sends no Ping before 15,000 ms of connection and one at 15,000 ms', async () => {
    const { clock, raw } = await silentConnectedPeer();
    const pings = () => raw.frames.filter((f) => f.code === P2pMessageCode.Ping).length;
    clock.advance(14_999);
    await flush();
    expect(pings()).toBe(0);
    clock.advance(1);
    await waitFor(() => pings() === 1, 5000, 'the Ping');
    raw.socket.destroy();
  });
});

describe('read timeout 30 s (go-ethereum frameReadTimeout)', () => {
  it('keeps a silent peer at 29,999 ms and disconnects it with reason 0x0b at 30,000 ms', async () => {
    const { clock, server, raw } = await silentConnectedPeer();
    clock.advance(29_999);
    await flush();
    expect(server.peers).toHaveLength(1);
    expect(raw.frames.some((f) => f.code === P2pMessageCode.Disconnect)).toBe(false);
    clock.advance(1);
    await waitFor(() => raw.frames.some((f) => f.code === P2pMessageCode.Disconnect), 5000, 'the Disconnect');
    expect(await raw.disconnectReason()).toBe(DisconnectReason.ReadTimeout);
    expect(DisconnectReason.ReadTimeout).toBe(0x0b);
    expect(server.stats.errors[Devp2pErrorCode.ReadTimeout]).toBe(1);
  });
});

describe('handshake timeout 5 s (go-ethereum handshakeTimeout)', () => {
  it('a dial to a peer that accepts TCP but never answers fails with ERR_RLPX_HANDSHAKE_TIMEOUT at 5,000 ms', async () => {
    const silent = net.createServer();
    const accepted: net.Socket[] = [];
    let authBytes = 0;
    silent.on('connection', (socket) => {
      accepted.push(socket);
      socket.on('data', (chunk) => {
        authBytes += chunk.length;
      });
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const clock = new ManualClock(1_000_000);
      const dialer = await started({ listen: false, clock, capabilities: [new RecordingCapability()] });
      const dial = watch(dialer.dial(enodeOf(port)));
      // Our auth arrived: the TCP connection is up and the handshake timer runs.
      await waitFor(() => authBytes > 0, 5000, 'the auth message');
      clock.advance(4_999);
      await flush();
      expect(dial.settled).toBe(false);
      clock.advance(1);
      await waitFor(() => dial.settled, 5000, 'the dial to fail');
      expect(dial.error).toMatchObject({ code: Devp2pErrorCode.HandshakeTimeout });
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });
});

describe('dial timeout 15 s (go-ethereum defaultDialTimeout)', () => {
  it('a dial whose TCP connect never completes fails with ERR_P2P_DIAL_TIMEOUT at 15,000 ms', async () => {
    const clock = new ManualClock(1_000_000);
    const dialer = await started({ listen: false, clock, capabilities: [new RecordingCapability()] });
    // A socket that is never connected: neither 'connect' nor 'error' ever fires, as for a dropped SYN.
    const hanging = new net.Socket();
    const connect = vi.spyOn(net, 'connect').mockImplementation(() => hanging);
    try {
      const dial = watch(dialer.dial(enodeOf(30303)));
      expect(connect).toHaveBeenCalledTimes(1);
      clock.advance(14_999);
      await flush();
      expect(dial.settled).toBe(false);
      clock.advance(1);
      await waitFor(() => dial.settled, 5000, 'the dial to fail');
      expect(dial.error).toMatchObject({ code: Devp2pErrorCode.DialTimeout });
      expect(hanging.destroyed).toBe(true);
    } finally {
      hanging.destroy();
    }
  });
});
