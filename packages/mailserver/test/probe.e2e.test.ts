import { bytesToHex } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MailClient,
  MailServer,
  type MailServerOptions,
  MailserverError,
  MailserverErrorCode,
  MemoryEnvelopeStore,
  mailserverProbe,
  type ServedRequest,
} from '../src/index.js';
import { connect, type NetNode, startNetNode, stopAll } from './helpers/network.js';

const nets: NetNode[] = [];
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await stopAll(nets.splice(0));
});

async function net(name: string, protocols: Array<'waku' | 'shh'> = ['waku']): Promise<NetNode> {
  const n = await startNetNode(name, { protocols, transmissionCycleMs: 20 });
  nets.push(n);
  return n;
}

/** A mailserver node and a client node connected over RLPx on 127.0.0.1. */
async function setup(
  options: {
    protocols?: Array<'waku' | 'shh'>;
    mailserver?: boolean;
    server?: Partial<MailServerOptions>;
  } = {},
) {
  const ms = await net('mailserver', options.protocols);
  const served: ServedRequest[] = [];
  if (options.mailserver !== false) {
    const mailserver = new MailServer({ store: new MemoryEnvelopeStore(), ...options.server });
    mailserver.attach(ms.node);
    mailserver.on('served', (s) => served.push(s));
    closers.push(() => mailserver.stop());
  }
  const bob = await net('bob', options.protocols);
  await connect(bob, ms);
  const client = new MailClient(bob.node);
  closers.push(() => client.close());
  return { ms, bob, client, served, peer: { id: bytesToHex(ms.server.id) } };
}

function expectCode(err: unknown, code: string): void {
  expect(err).toBeInstanceOf(MailserverError);
  expect((err as MailserverError).code).toBe(code);
}

describe('mailserverProbe over RLPx', () => {
  it('times one cheap request (limit 1, an unused topic, the last second) and leaves the client alone', async () => {
    const { client, served, peer } = await setup();
    const probe = mailserverProbe(client);
    const rtt = await probe(peer, new AbortController().signal);
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(10_000);
    expect(served).toHaveLength(1);
    expect(served[0]).toMatchObject({ shape: 'messagesRequest', envelopes: 0 });
    // A second probe right away is answered too (no duplicate-request window, no client pacing).
    expect(await probe(peer)).toBeGreaterThanOrEqual(0);
    expect(served).toHaveLength(2);
    expect(client.syncState()).toEqual({});
  });

  it('sends a request envelope over shh/6', async () => {
    const { client, served, peer } = await setup({ protocols: ['shh'] });
    expect(await mailserverProbe(client)(peer)).toBeGreaterThanOrEqual(0);
    expect(served).toHaveLength(1);
    expect(served[0]!.shape).not.toBe('messagesRequest');
  });

  it('fails with a timeout when the peer is no mailserver', async () => {
    const { client, peer } = await setup({ mailserver: false });
    const err = await mailserverProbe(client, { timeoutMs: 300 })(peer).catch((e: unknown) => e);
    expectCode(err, MailserverErrorCode.Timeout);
  });

  it('fails when the mailserver answers with an error (rate limited)', async () => {
    const { client, peer } = await setup({ server: { peerRequestIntervalMs: 60_000 } });
    const probe = mailserverProbe(client);
    await probe(peer);
    expectCode(await probe(peer).catch((e: unknown) => e), MailserverErrorCode.RequestFailed);
  });

  it('waits for a Waku handshake in progress, fails for a peer that never connects, and on abort', async () => {
    const { client, peer, bob } = await setup({ mailserver: false });
    const probe = mailserverProbe(client, { timeoutMs: 300 });
    expectCode(
      await probe({ id: 'ab'.repeat(64) }).catch((e: unknown) => e),
      MailserverErrorCode.RequestFailed,
    );
    const controller = new AbortController();
    const pending = probe(peer, controller.signal).catch((e: unknown) => e);
    controller.abort();
    const err = await pending;
    expect(err).toBe(controller.signal.reason);
    expect(err).toMatchObject({ name: 'AbortError' });
    // A probe sent before the Waku status exchange ends is answered once it does.
    const late = await net('late-mailserver');
    const lateServer = new MailServer({ store: new MemoryEnvelopeStore() });
    lateServer.attach(late.node);
    closers.push(() => lateServer.stop());
    const lateProbe = mailserverProbe(client, { timeoutMs: 5_000 })({ id: bytesToHex(late.server.id) });
    await bob.server.dial(late.server.enode);
    expect(await lateProbe).toBeGreaterThanOrEqual(0);
  });

  it('rejects invalid options', () => {
    const fake = { node: {} } as unknown as MailClient;
    const cases = [
      [{ timeoutMs: 0 }, 'probe timeoutMs must be > 0, got 0'],
      [{ windowSeconds: -1 }, 'probe windowSeconds must be >= 0, got -1'],
      [{ topic: new Uint8Array(3) }, 'probe topic must be 4 bytes, got 3'],
    ] as const;
    for (const [options, message] of cases) {
      const make = () => mailserverProbe(fake, { clock: { now: () => 0 } as never, ...options });
      expect(make).toThrow(MailserverError);
      expect(make).toThrow(message);
    }
  });
});
