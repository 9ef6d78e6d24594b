import { bytesToUtf8, equalBytes, seededRandom, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type RatchetOptions,
  SecureTransport,
  SecureTransportError,
  SecureTransportErrorCode,
} from '../src/index.js';

// Small limits so that "beyond the window" happens within a fast test; the logic is the same at 1000/3000/2000.
const RATCHET: RatchetOptions = { maxSkip: 40, maxKeep: 100, maxMessageKeys: 80 };
const REORDER_WINDOW = 8; // a delivery picks any of the first 8 messages queued for a device
const MESSAGES_PER_SIDE = 1000;
const TYPED_FAILURES: string[] = [
  SecureTransportErrorCode.MessageKeyGone,
  SecureTransportErrorCode.DecryptFailed,
  SecureTransportErrorCode.TooManySkipped,
];

interface Flight {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly from: Uint8Array;
  readonly fromDevice: string;
}

async function pairedDevices(ids: string[], key = generatePrivateKey()): Promise<SecureTransport[]> {
  const devices = ids.map(
    (installationId) => new SecureTransport({ identityKey: key, installationId, ratchet: RATCHET }),
  );
  for (const d of devices) {
    for (const other of devices) {
      if (d === other) continue;
      await d.addBundle(await other.bundle());
      await d.setInstallationEnabled(d.identity, other.installationId, true); // paired by the user
    }
  }
  return devices;
}

describe('Alice (2 devices) <-> Bob (3 devices) through SecureTransport', () => {
  it('1,000 messages each way with reordering, duplicates, drops and stragglers: each delivered message decrypts once on every device', async () => {
    const random = seededRandom(0x5ec0de);
    const pick = (n: number) => Math.floor(random() * n);
    const alice = await pairedDevices(['a1', 'a2']);
    const bob = await pairedDevices(['b1', 'b2', 'b3']);
    for (const a of alice) for (const b of bob) await a.addBundle(await b.bundle());
    for (const b of bob) for (const a of alice) await b.addBundle(await a.bundle());
    const everyone = [...alice, ...bob];

    const queues = new Map<SecureTransport, Flight[]>(everyone.map((d) => [d, []]));
    const stragglers: [SecureTransport, Flight][] = [];
    const decrypted = new Map<SecureTransport, Set<number>>(everyone.map((d) => [d, new Set()]));
    const expected = new Map<SecureTransport, Set<number>>(everyone.map((d) => [d, new Set()]));
    const stats = { delivered: 0, duplicates: 0, dropped: 0, stragglers: 0, rejectedDuplicates: 0 };
    let nextId = 0;

    const deliver = async (device: SecureTransport, flight: Flight) => {
      try {
        const out = await device.decrypt(flight.from, flight.bytes);
        expect(out.kind).toBe('ratchet');
        expect(bytesToUtf8(out.payload)).toBe(flight.text);
        expect(decrypted.get(device)!.has(flight.id)).toBe(false); // exactly once
        decrypted.get(device)!.add(flight.id);
        await out.confirm(); // processed: its key is deleted, so a duplicate no longer opens
        return true;
      } catch (err) {
        expect(err).toBeInstanceOf(SecureTransportError);
        expect(TYPED_FAILURES).toContain((err as SecureTransportError).code);
        return false;
      }
    };

    const step = async (device: SecureTransport) => {
      const queue = queues.get(device)!;
      if (queue.length === 0) return;
      const [flight] = queue.splice(pick(Math.min(REORDER_WINDOW, queue.length)), 1);
      const roll = random();
      if (roll < 0.02) {
        stats.dropped++; // never delivered to this device
        return;
      }
      if (roll < 0.03 && flight!.id < MESSAGES_PER_SIDE * 0.8) {
        stats.stragglers++; // delivered after everything else: far beyond the keep window
        stragglers.push([device, flight!]);
        return;
      }
      expected.get(device)!.add(flight!.id);
      const first = decrypted.get(device)!.has(flight!.id);
      const ok = await deliver(device, flight!);
      if (!first)
        expect(ok).toBe(true); // a first delivery within the window always decrypts
      else stats.rejectedDuplicates++;
      stats.delivered++;
      if (random() < 0.05) {
        stats.duplicates++;
        queue.splice(pick(queue.length + 1), 0, flight!); // delivered again later
      }
    };

    const sent = { alice: 0, bob: 0 };
    while (sent.alice < MESSAGES_PER_SIDE || sent.bob < MESSAGES_PER_SIDE) {
      const aliceSends = sent.bob >= MESSAGES_PER_SIDE || (sent.alice < MESSAGES_PER_SIDE && random() < 0.5);
      const [side, peers] = aliceSends ? [alice, bob] : [bob, alice];
      const sender = side[pick(side.length)]!;
      const id = nextId++;
      const text = `${sender.installationId}#${id}`;
      const payload = utf8ToBytes(text);
      // status-go sends a 1:1 message to the peer and, separately, to our own paired devices.
      const toPeer = await sender.encryptMessage(peers[0]!.identity, payload);
      expect([...toPeer.installationIds].sort()).toEqual(peers.map((p) => p.installationId).sort());
      for (const p of peers)
        queues
          .get(p)!
          .push({ id, bytes: toPeer.bytes, text, from: sender.identity, fromDevice: sender.installationId });
      const toSelf = await sender.encryptMessage(sender.identity, payload);
      for (const own of side) {
        if (own !== sender)
          queues.get(own)!.push({
            id,
            bytes: toSelf.bytes,
            text,
            from: sender.identity,
            fromDevice: sender.installationId,
          });
      }
      if (aliceSends) sent.alice++;
      else sent.bob++;
      // Deliver a few messages to random devices; queues stay short, so reordering stays in the window.
      for (let k = 0; k < 4; k++) await step(everyone[pick(everyone.length)]!);
      for (const d of everyone) while (queues.get(d)!.length > REORDER_WINDOW) await step(d);
    }
    for (const d of everyone) while (queues.get(d)!.length > 0) await step(d);

    // Every message delivered at least once decrypted exactly once on that device.
    for (const d of everyone) expect(decrypted.get(d)).toEqual(expected.get(d));
    // Stragglers: beyond the keep window now, a typed error, and no state change.
    for (const [device, flight] of stragglers) {
      const before = await device.store.loadSessions(flight.from, flight.fromDevice);
      expect(await deliver(device, flight)).toBe(false);
      expect(await device.store.loadSessions(flight.from, flight.fromDevice)).toEqual(before);
    }
    // The sessions still work afterwards, both ways, on every device.
    for (const [side, peers] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      for (const sender of side) {
        const bytes = await sender.encrypt(peers[0]!.identity, utf8ToBytes(`after ${sender.installationId}`));
        for (const p of peers) {
          const out = await p.decrypt(sender.identity, bytes);
          expect(bytesToUtf8(out.payload)).toBe(`after ${sender.installationId}`);
          expect(equalBytes(out.sender, sender.identity)).toBe(true);
        }
      }
    }
    expect(stats.stragglers).toBeGreaterThan(5);
    expect(stats.duplicates).toBeGreaterThan(50);
    expect(stats.dropped).toBeGreaterThan(20);
    expect(stats.delivered).toBeGreaterThan(6000);
  }, 120_000); // about 7 s alone; generous for a loaded CI machine
});
