import { generatePrivateKey } from '@status-ts/crypto';
import { buildTree, MemoryResolver } from '@status-ts/dns-discovery';
import { Enr, roleEntries } from '@status-ts/enr';
import { StaticPeerSource } from '@status-ts/peerpool';
import { publicChat } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStatusNode,
  type DiscoveryOptions,
  defineFleet,
  ETH_PROD_FLEET,
  type Fleet,
  type StatusMessage,
  type StatusNode,
  type StatusNodeOptions,
} from '../src/index.js';
import { waitFor, waitForArchived } from './helpers.js';

const running: StatusNode[] = [];
afterEach(async () => {
  await Promise.all(
    running
      .splice(0)
      .reverse()
      .map((node) => node.stop()),
  );
});

async function started(options: Omit<StatusNodeOptions, 'identity'>): Promise<StatusNode> {
  const node = createStatusNode({ identity: { privateKey: generatePrivateKey() }, ...options });
  running.push(node);
  await node.start();
  return node;
}

/** A bootstrap node (discv5 + rendezvous server) and the local fleet that names it. */
async function bootstrapFleet(): Promise<{ boot: StatusNode; fleet: Fleet }> {
  const boot = await started({ bootstrap: true, discovery: false });
  const info = boot.bootnode!;
  expect(info.enr).toMatch(/^enr:/);
  expect(info.rendezvous[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ethv4\/16Uiu2/);
  return { boot, fleet: defineFleet({ name: 'local', bootnodes: [info.enr], rendezvous: info.rendezvous }) };
}

/** Search fast: the test network is small and the default 3 s rounds only slow the test down. */
const QUICK: DiscoveryOptions['timing'] = { fastPeriodMs: 300, slowPeriodMs: 1_000, backoffMinMs: 500 };

function ids(nodes: StatusNode[]): Set<string> {
  return new Set(nodes.map((node) => Buffer.from(node.server.id).toString('hex')));
}

describe('discovery by default: a PeerPool fed by discv5 and rendezvous from a fleet', () => {
  it('mobile nodes find 2–3 relayers and the mailserver through a bootstrap node, and chat', async () => {
    const { boot, fleet } = await bootstrapFleet();
    const discovery = { fleet, timing: QUICK, useDiscoveredMailservers: true };
    const relayers = await Promise.all([
      started({ role: 'relayer', discovery }),
      started({ role: 'relayer', discovery }),
      started({ role: 'relayer', mailserver: true, discovery }),
    ]);
    const mailserver = relayers[2]!;
    const alice = await started({ discovery });
    const bob = await started({ discovery });
    // The bootstrap node relays like any relayer (CLI-03), so it may be one of the mobile nodes' relayers.
    const relayerIds = ids([...relayers, boot]);
    for (const mobile of [alice, bob]) {
      await waitFor(
        () =>
          (mobile.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2 && mobile.mailserverId !== undefined,
        'a mobile node reaches 2 relayers and selects a mailserver',
        20_000,
      );
      const connected = mobile.peerPool!.peers('whisper').map((peer) => peer.id);
      expect(connected.length).toBeGreaterThanOrEqual(2);
      expect(connected.length).toBeLessThanOrEqual(3);
      expect(connected.every((id) => relayerIds.has(id))).toBe(true);
      expect(mobile.mailserverId).toBe(Buffer.from(mailserver.server.id).toString('hex'));
    }
    // Relayers advertise their roles; mobile nodes advertise none (they are not to be dialed).
    expect(relayers[0]!.discv5!.localEnr.get('status')).toBeDefined();
    expect(alice.discv5!.localEnr.get('status')).toBeUndefined();

    alice.joinPublicChat('discovered');
    bob.joinPublicChat('discovered');
    await waitFor(() => alice.waku.peers.every((peer) => peer.ready), 'interest exchanged');
    const atBob: StatusMessage[] = [];
    bob.on('message', (message) => atBob.push(message));
    // Topic interest travels to the relayers before the message does; retry until the mesh carries it.
    await waitFor(() => bob.waku.peers.length >= 2, 'bob connected');
    const sent = await alice.sendPublicMessage('discovered', 'found you through discovery');
    await waitFor(() => atBob.some((m) => m.id === sent.message.id), 'bob receives alice', 15_000);
    expect(atBob.find((m) => m.id === sent.message.id)!.author).toBe(alice.identity.id);
  });

  it('rendezvous alone and discv5 alone each find the network', async () => {
    const { fleet } = await bootstrapFleet();
    await Promise.all([
      started({ role: 'relayer', discovery: { fleet, timing: QUICK } }),
      started({ role: 'relayer', mailserver: true, discovery: { fleet, timing: QUICK } }),
    ]);
    for (const only of [{ discv5: false }, { rendezvous: false }] as const) {
      const mobile = await started({
        discovery: { fleet, timing: QUICK, useDiscoveredMailservers: true, ...only },
      });
      await waitFor(
        () =>
          (mobile.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2 && mobile.mailserverId !== undefined,
        `a mobile node with ${JSON.stringify(only)} reaches 2 relayers and the mailserver`,
        20_000,
      );
      const sources = Object.keys(mobile.peerPool!.summary().sources);
      expect(sources).toEqual(['discv5' in only ? 'rendezvous' : 'discv5']);
    }
  });

  it('history comes from the mailserver the PeerPool selected, at once and after it reconnects', async () => {
    const { fleet } = await bootstrapFleet();
    const discovery = { fleet, timing: QUICK, useDiscoveredMailservers: true };
    await started({ role: 'relayer', discovery });
    const mailserver = await started({ role: 'relayer', mailserver: true, discovery });
    const mailserverId = Buffer.from(mailserver.server.id).toString('hex');
    const alice = await started({ discovery });
    await waitFor(() => alice.mailserverId !== undefined, 'alice selects the mailserver', 20_000);
    alice.joinPublicChat('later');
    await waitFor(() => mailserver.waku.peers.some((p) => p.ready), 'mailserver peers ready');
    await alice.sendPublicMessage('later', 'read me when you are back');
    await waitForArchived(mailserver, publicChat('later').topic, 1);

    const bob = createStatusNode({ identity: { privateKey: generatePrivateKey() }, discovery });
    running.push(bob);
    const fetches: { mailserver: string; envelopes: number }[] = [];
    bob.on('history:done', (result) => fetches.push(result));
    const selected: (string | undefined)[] = [];
    bob.on('mailserver', (id) => selected.push(id));
    await bob.start();
    bob.joinPublicChat('later');
    await waitFor(() => fetches.some((f) => f.envelopes >= 1), 'bob fetched the public chat', 20_000);
    expect(bob.mailserverId).toBe(mailserverId);
    expect(selected[0]).toBe(mailserverId);
    expect(fetches.every((f) => f.mailserver === mailserverId)).toBe(true);

    // The mailserver drops bob: the pool selects it again once it is back, and bob fetches the gap again.
    const before = fetches.length;
    bob.server.getPeer(mailserverId)!.disconnect();
    await waitFor(() => selected.includes(undefined), 'bob lost the mailserver', 10_000);
    await waitFor(() => fetches.length > before, 'bob fetched again after the reconnect', 30_000);
    expect(bob.mailserverId).toBe(mailserverId);
  });
});

describe('fleets', () => {
  it('the default fleet is eth.prod: the spec bootnodes on TCP 443, rendezvous servers, mailservers', () => {
    expect(ETH_PROD_FLEET.name).toBe('eth.prod');
    expect(ETH_PROD_FLEET.bootnodes).toHaveLength(6);
    expect(ETH_PROD_FLEET.bootnodes.every((url) => /^enode:\/\/[0-9a-f]{128}@[\d.]+:443$/.test(url))).toBe(
      true,
    );
    expect(ETH_PROD_FLEET.bootnodes[0]).toContain('6e6554fb3034b211');
    expect(ETH_PROD_FLEET.rendezvous.every((a) => /^\/ip4\/[\d.]+\/tcp\/30703\/ethv4\/16Uiu2/.test(a))).toBe(
      true,
    );
    expect(ETH_PROD_FLEET.mailservers.length).toBeGreaterThan(0);
  });
});

describe('discovery through EIP-1459 DNS trees', () => {
  it('a mobile node walks a fleet’s trees (one per role), or the app’s own PeerSource, and connects to what they name', async () => {
    const nodeKeys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const relayers = await Promise.all(
      nodeKeys.slice(0, 2).map((nodeKey) => started({ role: 'relayer', discovery: false, nodeKey })),
    );
    const mailserver = await started({
      role: 'relayer',
      mailserver: true,
      discovery: false,
      nodeKey: nodeKeys[2]!,
    });
    // A mailserver's record says so (the `whispermail` role), as the records status-ts nodes publish do;
    // one that does not is taken as a mailserver only when the fleet lists it in `mailservers`.
    const recordOf = (node: StatusNode, nodeKey: Uint8Array, roles: string[]) =>
      Enr.create({
        privateKey: nodeKey,
        ip: '127.0.0.1',
        tcp: node.server.address!.port,
        entries: roleEntries({ roles }),
      });
    const signer = generatePrivateKey();
    const relayTree = buildTree({
      domain: 'relays.local.test',
      privateKey: signer,
      seq: 1,
      enrs: relayers.map((node, i) => recordOf(node, nodeKeys[i]!, ['whisper'])),
    });
    const mailTree = buildTree({
      domain: 'mail.local.test',
      privateKey: signer,
      seq: 1,
      enrs: [recordOf(mailserver, nodeKeys[2]!, ['whisper', 'whispermail'])],
    });
    const fleet = defineFleet({
      name: 'dns',
      dnsTrees: { whisper: [relayTree.url], whispermail: [mailTree.url] },
    });
    const resolver = new MemoryResolver({ ...relayTree.toJSON(), ...mailTree.toJSON() });
    const mobile = await started({
      discovery: { fleet, dns: { resolver }, discv5: false, timing: QUICK, useDiscoveredMailservers: true },
    });
    await waitFor(
      () =>
        (mobile.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2 &&
        mobile.mailserverId === Buffer.from(mailserver.server.id).toString('hex'),
      'the mobile node connects to what the trees name',
      20_000,
    );
    expect(Object.keys(mobile.peerPool!.summary().sources)).toEqual(['dns']);
    expect(mobile.discv5).toBeUndefined();

    // Any PeerSource of the app's replaces them all: here a fixed list, with no fleet parts at all.
    const own = new StaticPeerSource(
      {
        whisper: relayers.map((node, i) => recordOf(node, nodeKeys[i]!, ['whisper'])),
        whispermail: [recordOf(mailserver, nodeKeys[2]!, ['whisper', 'whispermail'])],
      },
      'my-list',
    );
    const other = await started({
      discovery: {
        fleet: defineFleet({ name: 'none' }),
        sources: [own],
        discv5: false,
        timing: QUICK,
        useDiscoveredMailservers: true,
      },
    });
    await waitFor(
      () =>
        (other.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2 &&
        other.mailserverId === Buffer.from(mailserver.server.id).toString('hex'),
      'the node connects to what its own source names',
      20_000,
    );
    expect(Object.keys(other.peerPool!.summary().sources)).toEqual(['my-list']);
  });
});
