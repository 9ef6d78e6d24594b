import { utf8ToBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CapabilityStream,
  type Devp2pError,
  Devp2pErrorCode,
  DisconnectReason,
  type PeerErrorInfo,
  type Server,
} from '../src/index.js';
import { makeServer, RecordingCapability, waitFor } from './helpers/nodes.js';
import { RawPeer } from './helpers/raw-peer.js';

// One server under attack keeps serving an honest peer: after every attack the honest peer's message
// is echoed back.

const MAX_FRAME = 64 * 1024;
let server: Server;
let honest: Server;
let honestCap: RecordingCapability;
const errors: { error: Devp2pError; info: PeerErrorInfo }[] = [];

beforeAll(async () => {
  const echo = new RecordingCapability('test', 1, 8, (stream: CapabilityStream, msg) =>
    stream.send(msg.code, msg.payload),
  );
  server = makeServer({ capabilities: [echo], maxFrameSize: MAX_FRAME });
  server.on('peer:error', (error, info) => errors.push({ error, info }));
  honestCap = new RecordingCapability();
  honest = makeServer({ capabilities: [honestCap] });
  await server.start();
  await honest.start();
  await honest.dial(server.enode);
  await waitFor(() => honestCap.streams.length === 1);
});

afterAll(async () => {
  await honest.stop();
  await server.stop();
});

async function honestStillServed(): Promise<void> {
  const before = honestCap.received.length;
  const payload = randomBytes(100);
  await honestCap.streams[0]!.send(1, payload);
  await waitFor(() => honestCap.received.length > before, 5000, 'echo');
  expect(honestCap.received.at(-1)!.payload).toEqual(payload);
  expect(server.peers.length).toBe(1);
}

async function expectError(code: string): Promise<void> {
  await waitFor(() => errors.some((e) => e.error.code === code), 5000, code);
  const e = errors.find((x) => x.error.code === code)!;
  expect(e.info.direction).toBe('inbound');
  expect(e.info.peer?.stats.errors).toBe(1);
  errors.length = 0;
}

describe('a server under attack keeps serving others', () => {
  it('garbage instead of a handshake', async () => {
    const attacker = await RawPeer.tcp(server.address!.port);
    attacker.write(Uint8Array.of(0x01, 0x40, ...randomBytes(3000)));
    await attacker.closed;
    await expectError(Devp2pErrorCode.BadHandshake);
    await honestStillServed();
  });

  it('a handshake message above 2 KB', async () => {
    const attacker = await RawPeer.tcp(server.address!.port);
    attacker.write(Uint8Array.of(0x08, 0x01)); // declares 2049 bytes
    await attacker.closed;
    await expectError(Devp2pErrorCode.HandshakeTooLarge);
    await honestStillServed();
  });

  it('a frame with a wrong MAC', async () => {
    const attacker = await RawPeer.connect(server.address!.port, server.id);
    attacker.hello();
    const frame = attacker.frame(0x10, utf8ToBytes('x'));
    frame[frame.length - 1]! ^= 0x80;
    attacker.write(frame);
    expect(await attacker.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    await expectError(Devp2pErrorCode.BadMac);
    await honestStillServed();
  });

  it('an oversized frame', async () => {
    const attacker = await RawPeer.connect(server.address!.port, server.id);
    attacker.hello({ version: 4 });
    attacker.send(0x10, new Uint8Array(MAX_FRAME)); // + 1 byte of message id
    expect(await attacker.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    await expectError(Devp2pErrorCode.FrameTooLarge);
    await honestStillServed();
  });

  it('a snappy body declaring more than 16 MiB', async () => {
    const attacker = await RawPeer.connect(server.address!.port, server.id);
    attacker.hello({ version: 5 });
    // uvarint(16 MiB + 1) followed by a few bytes: must be refused before inflating.
    attacker.send(0x10, Uint8Array.of(0x81, 0x80, 0x80, 0x08, 0x00, 0x61));
    expect(await attacker.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    await expectError(Devp2pErrorCode.SnappyTooLarge);
    await honestStillServed();
  });

  it('a message before Hello, a Hello with a foreign id, and no shared capability', async () => {
    const early = await RawPeer.connect(server.address!.port, server.id);
    early.send(0x10, utf8ToBytes('too early'));
    expect(await early.disconnectReason()).toBe(DisconnectReason.ProtocolError);
    await expectError(Devp2pErrorCode.ExpectedHello);

    const liar = await RawPeer.connect(server.address!.port, server.id);
    liar.hello({ id: new Uint8Array(64).fill(1) });
    expect(await liar.disconnectReason()).toBe(DisconnectReason.UnexpectedIdentity);
    await expectError(Devp2pErrorCode.BadHello);

    const useless = await RawPeer.connect(server.address!.port, server.id);
    useless.hello({ caps: [{ name: 'eth', version: 66 }] });
    expect(await useless.disconnectReason()).toBe(DisconnectReason.UselessPeer);
    await expectError(Devp2pErrorCode.NoSharedCapability);
    await honestStillServed();
  });
});
