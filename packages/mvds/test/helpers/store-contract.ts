import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MvdsMessage, MvdsStores, SyncRecord } from '../../src/index.js';

/** A store bundle under test; `reopen` (persistent stores) closes it and opens the same data again. */
export interface StoreHarness {
  readonly stores: MvdsStores;
  close(): Promise<void> | void;
  reopen?(): Promise<MvdsStores> | MvdsStores;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const peerA = new Uint8Array(65).fill(0xa1);
const peerB = new Uint8Array(64).fill(0xb2);
const group = id(0x99);

function record(peer: Uint8Array, n: number, sendEpoch: number, extra: Partial<SyncRecord> = {}): SyncRecord {
  return { peer, messageId: id(n), type: 'message', groupId: group, sendCount: 0, sendEpoch, ...extra };
}

/**
 * The one contract every MvdsStores implementation must meet (memory, SQLite, and any future one): run it
 * with a factory of fresh stores.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<StoreHarness> | StoreHarness,
  options: { persistent?: boolean } = {},
): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    let s: MvdsStores;
    beforeEach(async () => {
      h = await open();
      s = h.stores;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('MessageStore', () => {
      const message: MvdsMessage = { groupId: group, timestamp: 1_600_000_000n, body: bytes(1, 2, 3) };

      it('puts, gets, has, sizes and deletes', async () => {
        expect(await s.messages.get(id(1))).toBeUndefined();
        expect(await s.messages.has(id(1))).toBe(false);
        await s.messages.put(id(1), message);
        await s.messages.put(id(2), { ...message, body: bytes(9) });
        expect(await s.messages.get(id(1))).toEqual(message);
        expect(await s.messages.has(id(1))).toBe(true);
        expect(await s.messages.size()).toBe(2);
        await s.messages.delete([id(1), id(3)]);
        expect(await s.messages.has(id(1))).toBe(false);
        expect(await s.messages.size()).toBe(1);
      });

      it('keeps the first message stored under an id', async () => {
        await s.messages.put(id(1), message);
        await s.messages.put(id(1), { ...message, body: bytes(7) });
        expect((await s.messages.get(id(1)))?.body).toEqual(bytes(1, 2, 3));
      });

      it('stores copies and hands out plain Uint8Arrays', async () => {
        const body = bytes(5, 6);
        await s.messages.put(id(1), { ...message, body });
        body[0] = 0;
        const back = await s.messages.get(id(1));
        expect(back?.body).toEqual(bytes(5, 6));
        expect(back?.body.constructor).toBe(Uint8Array);
        expect(back?.groupId.constructor).toBe(Uint8Array);
      });

      it('keeps int64 timestamps and empty fields exact', async () => {
        const cases: MvdsMessage[] = [
          { groupId: bytes(), timestamp: -(2n ** 63n), body: bytes() },
          { groupId: bytes(1), timestamp: 2n ** 63n - 1n, body: bytes() },
          { groupId: bytes(1), timestamp: 0n, body: new Uint8Array(5_000).fill(3) },
        ];
        for (const [i, m] of cases.entries()) {
          await s.messages.put(id(i), m);
          expect(await s.messages.get(id(i))).toEqual(m);
        }
      });
    });

    describe('SyncStateStore', () => {
      it('applies puts, replaces by (peer, message id) and removes', async () => {
        await s.syncState.apply({ put: [record(peerA, 1, 5), record(peerB, 1, 6), record(peerA, 2, 7)] });
        expect(await s.syncState.size()).toBe(3);
        expect(await s.syncState.get(peerA, id(1))).toEqual(record(peerA, 1, 5));
        await s.syncState.apply({ put: [record(peerA, 1, 9, { type: 'offer', sendCount: 3 })] });
        expect(await s.syncState.get(peerA, id(1))).toEqual(
          record(peerA, 1, 9, { type: 'offer', sendCount: 3 }),
        );
        expect(await s.syncState.size()).toBe(3);
        await s.syncState.apply({
          remove: [
            { peer: peerA, messageId: id(1) },
            { peer: peerA, messageId: id(42) },
          ],
        });
        expect(await s.syncState.get(peerA, id(1))).toBeUndefined();
        expect(await s.syncState.size()).toBe(2);
      });

      it('keeps every record type and a missing group id', async () => {
        const request = record(peerA, 3, 1, { type: 'request', groupId: undefined });
        await s.syncState.apply({ put: [request, record(peerA, 4, 1, { type: 'offer' })] });
        expect(await s.syncState.get(peerA, id(3))).toEqual(request);
        expect((await s.syncState.get(peerA, id(4)))?.type).toBe('offer');
      });

      it('applies removals before puts within one batch', async () => {
        await s.syncState.apply({ put: [record(peerA, 1, 5)] });
        await s.syncState.apply({ remove: [{ peer: peerA, messageId: id(1) }], put: [record(peerA, 1, 8)] });
        expect((await s.syncState.get(peerA, id(1)))?.sendEpoch).toBe(8);
      });

      it('lists due records lowest epoch first, up to a limit', async () => {
        await s.syncState.apply({
          put: [record(peerA, 1, 30), record(peerA, 2, 10), record(peerB, 3, 20), record(peerB, 4, 31)],
        });
        expect((await s.syncState.due(30, 10)).map((r) => r.sendEpoch)).toEqual([10, 20, 30]);
        expect((await s.syncState.due(30, 2)).map((r) => r.sendEpoch)).toEqual([10, 20]);
        expect(await s.syncState.due(9, 10)).toEqual([]);
      });

      it('lists a peer`s records and counts records per message', async () => {
        await s.syncState.apply({ put: [record(peerA, 1, 1), record(peerA, 2, 1), record(peerB, 1, 1)] });
        const mine = await s.syncState.forPeer(peerA);
        expect(mine.map((r) => r.messageId[0]).sort()).toEqual([1, 2]);
        expect(await s.syncState.forPeer(new Uint8Array(65))).toEqual([]);
        expect(await s.syncState.countForMessage(id(1))).toBe(2);
        expect(await s.syncState.countForMessage(id(2))).toBe(1);
        expect(await s.syncState.countForMessage(id(3))).toBe(0);
        await s.syncState.apply({ remove: [{ peer: peerB, messageId: id(1) }] });
        expect(await s.syncState.countForMessage(id(1))).toBe(1);
      });

      it('saves the epoch (0 before the first save)', async () => {
        expect(await s.syncState.loadEpoch()).toBe(0);
        await s.syncState.apply({ epoch: 1234 });
        await s.syncState.apply({ put: [record(peerA, 1, 1)] });
        expect(await s.syncState.loadEpoch()).toBe(1234);
      });

      it('hands out copies', async () => {
        await s.syncState.apply({ put: [record(peerA, 1, 1)] });
        const r = (await s.syncState.get(peerA, id(1)))!;
        r.messageId[0] = 0xff;
        expect((await s.syncState.get(peerA, id(1)))?.messageId).toEqual(id(1));
      });
    });

    describe('DeliveredStore', () => {
      it('reports which ids are new, the first copy in a batch winning', async () => {
        expect(await s.delivered.add([id(1), id(2), id(1)])).toEqual([true, true, false]);
        expect(await s.delivered.add([id(2), id(3)])).toEqual([false, true]);
        expect(await s.delivered.add([])).toEqual([]);
        expect(await s.delivered.has(id(3))).toBe(true);
        expect(await s.delivered.has(id(4))).toBe(false);
        expect(await s.delivered.size()).toBe(3);
      });
    });

    describe('GroupStore', () => {
      it('adds idempotently, lists in insertion order, removes', async () => {
        await s.groups.add(group, peerB);
        await s.groups.add(group, peerA);
        await s.groups.add(group, peerB);
        await s.groups.add(id(1), peerA);
        expect(await s.groups.peers(group)).toEqual([peerB, peerA]);
        expect(await s.groups.has(group, peerA)).toBe(true);
        await s.groups.remove(group, peerA);
        expect(await s.groups.has(group, peerA)).toBe(false);
        expect(await s.groups.peers(group)).toEqual([peerB]);
        expect(await s.groups.peers(id(2))).toEqual([]);
        expect(await s.groups.has(id(1), peerA)).toBe(true);
      });
    });

    // Defined only for persistent stores (in-memory ones have nothing to reopen).
    if (options.persistent) {
      it('keeps everything across a reopen', async () => {
        await s.messages.put(id(1), { groupId: group, timestamp: 5n, body: bytes(1) });
        await s.syncState.apply({ put: [record(peerA, 1, 77, { sendCount: 4 })], epoch: 70 });
        await s.delivered.add([id(8)]);
        await s.groups.add(group, peerA);
        s = await h.reopen!();
        expect(await s.messages.get(id(1))).toEqual({ groupId: group, timestamp: 5n, body: bytes(1) });
        expect(await s.syncState.get(peerA, id(1))).toEqual(record(peerA, 1, 77, { sendCount: 4 }));
        expect(await s.syncState.loadEpoch()).toBe(70);
        expect(await s.delivered.add([id(8)])).toEqual([false]);
        expect(await s.groups.peers(group)).toEqual([peerA]);
      });
    }
  });
}
