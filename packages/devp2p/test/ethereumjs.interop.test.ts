import type { Peer as EthPeer, RLPx } from '@ethereumjs/devp2p';
import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DisconnectReason, type Peer, type Server } from '../src/index.js';
import { EthTestProtocol, listenEth, makeEthRlpx, stopEth } from './helpers/ethjs.js';
import { makeServer, once, RecordingCapability, waitFor } from './helpers/nodes.js';

// Interop with an independent implementation: @ethereumjs/devp2p on 127.0.0.1.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  EthTestProtocol.instances = [];
});

async function ours(protocolVersion = 5): Promise<{ server: Server; cap: RecordingCapability }> {
  const cap = new RecordingCapability();
  const server = makeServer({ capabilities: [cap], protocolVersion });
  await server.start();
  cleanups.push(() => server.stop());
  return { server, cap };
}

function theirs(key = generatePrivateKey()): { rlpx: RLPx; key: Uint8Array } {
  const rlpx = makeEthRlpx(key);
  cleanups.push(() => stopEth(rlpx));
  return { rlpx, key };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function exchange(cap: RecordingCapability, proto: EthTestProtocol, big: boolean): Promise<void> {
  await waitFor(() => cap.streams.length === 1, 5000, 'our stream');
  const payloads = [utf8ToBytes('from status-ts'), big ? randomBytes(60_000) : utf8ToBytes('second')];
  for (const [i, p] of payloads.entries()) await cap.streams[0]!.send(i + 1, p);
  await waitFor(() => proto.received.length === 2, 5000, 'their messages');
  expect(proto.received.map((m) => m.code)).toEqual([1, 2]);
  expect(bytesToHex(proto.received[1]!.payload)).toBe(bytesToHex(payloads[1]!));
  expect(text(proto.received[0]!.payload)).toBe('from status-ts');
  proto.send(3, utf8ToBytes('from ethereumjs'));
  const back = big ? randomBytes(60_000) : utf8ToBytes('again');
  proto.send(7, back);
  await waitFor(() => cap.received.length === 2, 5000, 'our messages');
  expect(cap.received.map((m) => m.code)).toEqual([3, 7]);
  expect(text(cap.received[0]!.payload)).toBe('from ethereumjs');
  expect(bytesToHex(cap.received[1]!.payload)).toBe(bytesToHex(back));
}

describe('interop with @ethereumjs/devp2p', () => {
  it('its RLPx dials ours: Hello, snappy messages both ways, it disconnects with a reason we report', async () => {
    const { server, cap } = await ours();
    const { rlpx } = theirs();
    const added = once(rlpx.events, 'peer:added');
    const connected = once(server, 'peer:connected');
    await rlpx.connect({ id: server.id, address: '127.0.0.1', tcpPort: server.address!.port });
    const [ethPeer] = (await added) as [EthPeer];
    const [ourPeer] = (await connected) as [Peer];
    expect(ourPeer.direction).toBe('inbound');
    expect(ourPeer.snappy).toBe(true);
    expect(ourPeer.hello?.clientId).toMatch(/^ethereumjs-devp2p/);
    expect(ethPeer.getHelloMessage()?.clientId).toBe('status-ts/devp2p');
    const proto = EthTestProtocol.instances[0]!;
    expect(proto.compress).toBe(true);
    await exchange(cap, proto, true);
    const gone = once(server, 'peer:disconnected');
    ethPeer.disconnect(DisconnectReason.UselessPeer);
    const [, info] = await gone;
    expect(info).toMatchObject({ reason: DisconnectReason.UselessPeer, initiator: 'remote' });
  });

  it('ours dials its RLPx: messages both ways, we disconnect with a reason it reports', async () => {
    const { server, cap } = await ours();
    const { rlpx, key } = theirs();
    const port = await listenEth(rlpx);
    const peer = await server.dial(`enode://${bytesToHex(getPublicKey(key, 'raw'))}@127.0.0.1:${port}`);
    expect(peer.direction).toBe('outbound');
    expect(peer.snappy).toBe(true);
    await waitFor(() => EthTestProtocol.instances.length === 1);
    await exchange(cap, EthTestProtocol.instances[0]!, false);
    const removed = once(rlpx.events, 'peer:removed');
    peer.disconnect(DisconnectReason.ClientQuitting);
    const [, reason, disconnectWe] = (await removed) as [EthPeer, number, boolean];
    expect(reason).toBe(DisconnectReason.ClientQuitting);
    expect(disconnectWe).toBe(false);
  });

  it('without snappy (we announce version 4) in both directions of dialing', async () => {
    const { server, cap } = await ours(4);
    const { rlpx, key } = theirs();
    const port = await listenEth(rlpx);
    const peer = await server.dial(`enode://${bytesToHex(getPublicKey(key, 'raw'))}@127.0.0.1:${port}`);
    expect(peer.snappy).toBe(false);
    await waitFor(() => EthTestProtocol.instances.length === 1);
    const proto = EthTestProtocol.instances[0]!;
    expect(proto.compress).toBe(false);
    await exchange(cap, proto, true);

    const second = await ours(4);
    const other = theirs();
    const added = once(other.rlpx.events, 'peer:added');
    await other.rlpx.connect({
      id: second.server.id,
      address: '127.0.0.1',
      tcpPort: second.server.address!.port,
    });
    await added;
    await waitFor(() => EthTestProtocol.instances.length === 2);
    await exchange(second.cap, EthTestProtocol.instances[1]!, false);
    expect(second.server.peers[0]!.snappy).toBe(false);
  });

  it('ethereumjs refusing us as one peer too many (after Hello): the reason is reported', async () => {
    const { server } = await ours();
    const key = generatePrivateKey();
    const full = makeEthRlpx(key, { maxPeers: 0 });
    cleanups.push(() => stopEth(full));
    const port = await listenEth(full);
    const gone = once(server, 'peer:disconnected');
    await server
      .dial(`enode://${bytesToHex(getPublicKey(key, 'raw'))}@127.0.0.1:${port}`)
      .catch(() => undefined);
    const [, info] = await gone;
    expect(info).toMatchObject({ reason: DisconnectReason.TooManyPeers, initiator: 'remote' });
  });
});
