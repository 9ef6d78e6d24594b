import { concatBytes, equalBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_HELLO_SIZE,
  type Devp2pError,
  Devp2pErrorCode,
  DisconnectReason,
  encodeHello,
  P2pMessageCode,
  type PeerErrorInfo,
  type Server,
} from '../src/index.js';
import { RecordingCapability, useStartedServers, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

const started = useStartedServers();

function collectErrors(s: Server): { error: Devp2pError; info: PeerErrorInfo }[] {
  const errors: { error: Devp2pError; info: PeerErrorInfo }[] = [];
  s.on('peer:error', (error, info) => errors.push({ error, info }));
  return errors;
}

/** A Hello payload of exactly `size` bytes (the client id pads it). */
function helloOfSize(raw: RawPeer, size: number): Uint8Array {
  for (let n = 0; n <= size; n++) {
    const hello = encodeHello({
      protocolVersion: 4,
      clientId: 'x'.repeat(n),
      capabilities: [{ name: 'test', version: 1 }],
      listenPort: 0,
      nodeId: raw.id,
    });
    if (hello.length === size) return hello;
  }
  throw new Error(`no Hello of ${size} bytes`);
}

const MIB = 1024 * 1024;

describe('frames before Hello are capped at the Hello size', () => {
  it('a header declaring 1 MiB before Hello disconnects at once, before any body byte is buffered', async () => {
    const s = await started({ capabilities: [new RecordingCapability()], disconnectGraceMs: 10_000 });
    const errors = collectErrors(s);
    // allowHalfOpen: the attacker ignores our FIN, so our side closes only by destroying the socket.
    const raw = await RawPeer.connect(s.address!.port, s.id, { allowHalfOpen: true });
    const frame = raw.frame(P2pMessageCode.Hello, new Uint8Array(MIB));
    raw.write(frame.subarray(0, 32)); // header and header MAC only: no body sent
    await waitFor(() => errors.length > 0, 3000, 'the oversized pre-Hello frame to be refused');
    expect(errors[0]!.error).toMatchObject({
      code: Devp2pErrorCode.BadHello,
      details: { size: MIB + 1, limit: DEFAULT_MAX_HELLO_SIZE + 1 },
    });
    const peer = errors[0]!.info.peer!;
    expect(peer.stats.bytesBuffered).toBe(0);
    // Our socket is destroyed once the Disconnect is flushed, not after disconnectGraceMs: the pending slot
    // is free at once. (The attacker's end stays half-open: it ignores our FIN.)
    await waitFor(() => peer.state === 'closed', 2000, 'our socket destroyed');
    await waitFor(() => raw.frames.some((f) => f.code === P2pMessageCode.Disconnect), 2000, 'Disconnect');
    expect(peer.disconnectInfo).toMatchObject({ reason: DisconnectReason.ProtocolError, initiator: 'local' });
    expect(peer.stats.bytesBuffered).toBe(0);
    expect(peer.stats.bytesIn).toBeLessThan(4096);
    raw.socket.destroy();
    expect(errors).toHaveLength(1);
  });

  it('a header declaring 1 MiB followed by filler is refused at the header, whatever follows', async () => {
    const s = await started({ capabilities: [new RecordingCapability()] });
    const errors = collectErrors(s);
    const raw = await RawPeer.connect(s.address!.port, s.id);
    raw.write(raw.frame(0x10, randomBytes(MIB)).subarray(0, 32 + 256 * 1024)); // a quarter of the body
    await waitFor(() => errors.length > 0, 3000, 'the oversized pre-Hello frame to be refused');
    expect(errors[0]!.error.code).toBe(Devp2pErrorCode.BadHello);
    await raw.closed;
    expect(errors[0]!.info.peer!.stats.bytesBuffered).toBe(0);
  });

  it('a Hello of exactly maxHelloSize bytes is accepted; one byte more is refused at its header', async () => {
    const s = await started({ capabilities: [new RecordingCapability()] });
    const errors = collectErrors(s);
    const ok = await RawPeer.connect(s.address!.port, s.id);
    ok.send(P2pMessageCode.Hello, helloOfSize(ok, DEFAULT_MAX_HELLO_SIZE));
    await waitFor(() => s.peers.length === 1, 3000, 'the Hello of maxHelloSize bytes');
    const big = await RawPeer.connect(s.address!.port, s.id);
    big.send(P2pMessageCode.Hello, helloOfSize(big, DEFAULT_MAX_HELLO_SIZE + 1));
    expect(await big.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    expect(errors.map((e) => e.error.code)).toEqual([Devp2pErrorCode.BadHello]);
    expect(errors[0]!.error.details).toMatchObject({ size: DEFAULT_MAX_HELLO_SIZE + 2 });
    ok.socket.destroy();
  });

  it('after Hello the normal limit applies: a 1 MiB message right behind the Hello passes', async () => {
    const cap = new RecordingCapability();
    const s = await started({ capabilities: [cap] });
    const raw = await RawPeer.connect(s.address!.port, s.id);
    const payload = randomBytes(MIB);
    // One write: the Hello and the big frame arrive together, the limit is raised between the two.
    raw.write(concatBytes(raw.frame(P2pMessageCode.Hello, helloOfSize(raw, 200)), raw.frame(0x10, payload)));
    await waitFor(() => cap.received.length === 1, 5000, 'the 1 MiB message');
    expect(equalBytes(cap.received[0]!.payload, payload)).toBe(true); // toEqual walks 1 MiB slowly
    raw.socket.destroy();
  });

  it('between two servers (snappy on) a 1 MiB message passes both ways', async () => {
    const capA = new RecordingCapability();
    const capB = new RecordingCapability();
    const a = await started({ capabilities: [capA] });
    const b = await started({ capabilities: [capB] });
    await a.dial(b.enode);
    await waitFor(() => capA.streams.length === 1 && capB.streams.length === 1);
    const one = randomBytes(MIB);
    const two = randomBytes(MIB);
    await capA.streams[0]!.send(1, one);
    await capB.streams[0]!.send(2, two);
    await waitFor(() => capA.received.length === 1 && capB.received.length === 1, 5000, 'both messages');
    expect(equalBytes(capB.received[0]!.payload, one)).toBe(true);
    expect(equalBytes(capA.received[0]!.payload, two)).toBe(true);
  });
});
