import { ManualClock } from '@status-ts/core';
import { Enr, type PeerSource, StatusTopic } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  buildTree,
  DEFAULT_RECHECK_INTERVAL_MS,
  DnsPeerSource,
  isDialable,
  MemoryResolver,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, testKey } from './helpers/fixtures.js';
import { isPending, seeded } from './helpers/walk.js';

const RELAYS = 'relays.test.example';
const MAIL = 'mail.test.example';

function setup() {
  const resolver = new MemoryResolver();
  const clock = new ManualClock(0);
  const publish = (domain: string, seq: number, enrs: Enr[]) => {
    const tree = buildTree({ domain, privateKey: SIGNER_KEY, seq, enrs });
    for (const [name, text] of Object.entries(tree.records())) resolver.set(name, text);
    return tree;
  };
  const relays = publish(RELAYS, 1, testEnrs(6, 'relay'));
  const mail = publish(MAIL, 1, testEnrs(2, 'mail'));
  const source = new DnsPeerSource({
    resolver,
    clock,
    random: seeded(7),
    trees: { [StatusTopic.Relayer]: [relays.url], [StatusTopic.Mailserver]: [mail.url] },
  });
  return { resolver, clock, publish, relays, mail, source };
}

/** Collects `count` records from `find`, then aborts. */
async function collect(source: PeerSource, topic: string, count: number): Promise<Enr[]> {
  const out: Enr[] = [];
  if (count === 0) return out;
  for await (const enr of source.find(topic)) {
    out.push(enr);
    if (out.length === count) break;
  }
  return out;
}

const ids = (enrs: readonly Enr[]) => enrs.map((e) => e.nodeIdHex).sort();

describe('DnsPeerSource', () => {
  it('maps each topic to its trees (Status publishes one tree per role)', async () => {
    const { source, relays, mail, clock } = setup();
    expect(source.name).toBe('dns');
    expect(ids(await collect(source, StatusTopic.Relayer, 6))).toEqual(ids(relays.enrs));
    expect(ids(await collect(source, StatusTopic.Mailserver, 2))).toEqual(ids(mail.enrs));
    expect(clock.pendingTimers).toBe(0);
  });

  it('yields nothing for a topic without trees (also for Object.prototype names)', async () => {
    const { source } = setup();
    for (const topic of ['waku', '__proto__', 'constructor']) {
      const got: Enr[] = [];
      for await (const enr of source.find(topic)) got.push(enr);
      expect(got).toEqual([]);
    }
  });

  it('yields only records an RLPx dial can use (DNS-08), each once, again only with a higher seq', async () => {
    const { publish, source, clock } = setup();
    const noTcp = Enr.create({ privateKey: testKey(1, 'x'), ip: '10.9.0.1', udp: 30303 });
    const noIp = Enr.create({ privateKey: testKey(2, 'x'), tcp: 30303 });
    const v6 = Enr.create({ privateKey: testKey(3, 'x'), ip6: '::1', tcp6: 30303 });
    const dialable = testEnrs(2, 'relay');
    publish(RELAYS, 2, [noTcp, noIp, v6, ...dialable]);
    expect([noTcp, noIp, v6].map(isDialable)).toEqual([false, false, true]);
    const controller = new AbortController();
    const seen: Enr[] = [];
    const done = (async () => {
      for await (const enr of source.find(StatusTopic.Relayer, controller.signal)) seen.push(enr);
    })();
    expect(await isPending(done)).toBe(true);
    expect(ids(seen)).toEqual(ids([v6, ...dialable]));
    // Republished: one record with a higher seq, the rest unchanged but in a new tree version.
    const updated = dialable[0]!.with(testKey(0, 'relay'), { tcp: 30304 });
    publish(RELAYS, 3, [updated, dialable[1]!, v6, noTcp]);
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    expect(await isPending(done)).toBe(true);
    expect(seen.length).toBe(4);
    expect(seen[3]!.equals(updated)).toBe(true);
    controller.abort();
    await expect(done).rejects.toBe(controller.signal.reason);
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('accepts a custom filter (e.g. an ENR entry naming the role)', async () => {
    const { publish, clock, resolver } = setup();
    const waku = testEnrs(2, 'w', { waku2: new Uint8Array([1]) });
    const plain = testEnrs(2, 'p');
    const tree = publish(RELAYS, 2, [...waku, ...plain]);
    const source = new DnsPeerSource({
      resolver,
      clock,
      trees: { whisper: [tree.url] },
      accept: (enr) => enr.has('waku2'),
    });
    expect(ids(await collect(source, 'whisper', 2))).toEqual(ids(waku));
  });

  it('shares one client (cache) between topics when given', async () => {
    const { source, resolver, relays } = setup();
    const other = new DnsPeerSource({ client: source.client, trees: { whisper: [relays.url] } });
    await collect(source, 'whisper', 6);
    const before = resolver.queries;
    await collect(other, 'whisper', 6);
    expect(resolver.queries - before).toBe(1); // the root; every entry comes from the shared cache
  });
});
