import { Discv5 } from '@chainsafe/discv5';
import { ENR, SignableENR } from '@chainsafe/enr';
import { generatePrivateKey } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Discv5Node } from '../src/index.js';
import { createUdpTransport } from '../src/udp/index.js';

// Interop with an independent implementation: @chainsafe/discv5 11.0.0 (+ @chainsafe/enr 5.0.0) on 127.0.0.1.
// Records cross between the two libraries in their `enr:` text form.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((stop) => stop()));
});

let nextPort = 41_000 + Math.floor(Math.random() * 10_000);

async function startTheirs(): Promise<Discv5> {
  for (let attempt = 0; ; attempt++) {
    const key = generatePrivateKey();
    const enr = SignableENR.createV4(key);
    enr.ip = '127.0.0.1';
    enr.udp = nextPort++;
    const node = Discv5.create({
      enr,
      // Discv5.create reads only `type` and `raw` of the libp2p key.
      privateKey: { type: 'secp256k1', raw: key } as never,
      bindAddrs: { ip4: enr.getLocationMultiaddr('udp')! },
      config: { enrUpdate: false },
    });
    try {
      await node.start();
      cleanups.push(() => node.stop());
      return node;
    } catch (err) {
      if (attempt > 5) throw err; // port taken: try the next one
    }
  }
}

async function startOurs(bootstrap: string[] = []): Promise<Discv5Node> {
  const node = new Discv5Node({
    privateKey: generatePrivateKey(),
    transport: () => createUdpTransport({ ip: '127.0.0.1', port: 0 }),
    bootstrap,
    autoRefresh: false,
  });
  await node.start();
  cleanups.push(() => node.stop());
  return node;
}

const theirText = (node: Discv5) => node.enr.toENR().encodeTxt();
const asTheirs = (node: Discv5Node) => ENR.decodeTxt(node.localEnr.encodeText());

describe('interop with @chainsafe/discv5 over UDP 127.0.0.1', () => {
  it('ours pings theirs: we start the handshake, they answer PONG with our endpoint', async () => {
    const theirs = await startTheirs();
    const ours = await startOurs();
    const pong = await ours.ping(theirText(theirs));
    expect(pong.ip).toBe('127.0.0.1');
    expect(pong.port).toBe(ours.localEndpoint!.port);
    expect(pong.enrSeq).toBe(theirs.enr.seq);
    expect(ours.counters.handshakesInitiated).toBe(1);
    expect(ours.counters.whoareyouReceived).toBe(1);
  });

  it('theirs pings ours: they start the handshake, we accept it and answer', async () => {
    const theirs = await startTheirs();
    const ours = await startOurs();
    const established = new Promise((resolve) => ours.once('session:established', resolve));
    const pong = await theirs.sendPing(asTheirs(ours));
    expect(pong.enrSeq).toBe(ours.localEnr.seq);
    expect(await established).toMatchObject({ nodeId: theirs.enr.nodeId, initiator: false });
    expect(ours.counters.whoareyouSent).toBe(1);
    expect(ours.counters.handshakesAccepted).toBe(1);
    // They sent their record in the handshake (we did not know them): it is now in our table, verified.
    expect(ours.table.get(theirs.enr.nodeId)?.live).toBe(true);
  });

  it('FINDNODE both ways, including records only the other side knew', async () => {
    const theirs = await startTheirs();
    const theirFriend = await startTheirs();
    const ours = await startOurs();
    const ourFriend = await startOurs();
    // Each side gets to know its friend (a session makes the friend live in the table).
    await theirs.sendPing(ENR.decodeTxt(theirText(theirFriend)));
    await theirFriend.sendPing(ENR.decodeTxt(theirText(theirs)));
    await ours.ping(ourFriend.localEnr);

    const self = await ours.findNode(theirText(theirs), [0]);
    expect(self.map((e) => e.nodeIdHex)).toEqual([theirs.enr.nodeId]);
    const friendDistance = distanceBetween(theirs.enr.nodeId, theirFriend.enr.nodeId);
    const viaTheirs = await ours.findNode(theirText(theirs), [friendDistance]);
    expect(viaTheirs.map((e) => e.nodeIdHex)).toContain(theirFriend.enr.nodeId);

    const theirView = await theirs.sendFindNode(asTheirs(ours), [0]);
    expect(theirView.map((e) => e.nodeId)).toEqual([ours.nodeId]);
    const viaOurs = await theirs.sendFindNode(asTheirs(ours), [
      distanceBetween(ours.nodeId, ourFriend.nodeId),
    ]);
    expect(viaOurs.map((e) => e.nodeId)).toContain(ourFriend.nodeId);
  });

  it('a mixed network (3 theirs + 3 ours) where every lookup finds every node', async () => {
    const boot = await startOurs();
    const ours = [
      boot,
      await startOurs([boot.localEnr.encodeText()]),
      await startOurs([boot.localEnr.encodeText()]),
    ];
    const theirs = [await startTheirs(), await startTheirs(), await startTheirs()];
    for (const t of theirs) {
      t.addEnr(boot.localEnr.encodeText());
      await t.sendPing(asTheirs(boot));
    }
    for (const o of ours.slice(1)) await o.ping(boot.localEnr);
    const everyone = [...ours.map((o) => o.nodeId), ...theirs.map((t) => t.enr.nodeId)];
    // Lookups from every node for every other node.
    for (const o of ours) {
      for (const id of everyone) {
        if (id === o.nodeId) continue;
        const found = await o.lookup(id);
        expect(
          found.map((e) => e.nodeIdHex),
          `ours ${o.nodeId.slice(0, 6)} -> ${id.slice(0, 6)}`,
        ).toContain(id);
      }
    }
    for (const t of theirs) {
      for (const id of everyone) {
        if (id === t.enr.nodeId) continue;
        const found = await t.findNode(id);
        expect(
          found.map((e) => e.nodeId),
          `theirs ${t.enr.nodeId.slice(0, 6)} -> ${id.slice(0, 6)}`,
        ).toContain(id);
      }
    }
  });
});

function distanceBetween(a: string, b: string): number {
  const x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  return x === 0n ? 0 : x.toString(2).length;
}
