import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type RatchetState,
  SecureTransportErrorCode,
  type SessionStore,
  type StoredInstallation,
  type StoredMessageKey,
  type StoredSession,
  sessionIdOf,
} from '../../src/index.js';

export interface StoreHarness {
  readonly store: SessionStore;
  /** Closes and opens the same storage again (persistent stores only). */
  reopen?: () => Promise<SessionStore>;
  close: () => Promise<void>;
}

const pub = () => getPublicKey(generatePrivateKey(), 'compressed');
const key = () => randomBytes(32);

function ratchet(overrides: Partial<RatchetState> = {}): RatchetState {
  const dhsPrivate = generatePrivateKey();
  return {
    rootKey: key(),
    dhsPrivate,
    dhsPublic: getPublicKey(dhsPrivate, 'compressed'),
    dhr: pub(),
    sendKey: key(),
    sendN: 7,
    recvKey: key(),
    recvN: 3,
    pn: 2,
    keysCount: 11,
    ...overrides,
  };
}

function session(
  identity: Uint8Array,
  installationId: string,
  extra: Partial<StoredSession> = {},
): StoredSession {
  const bundleId = pub();
  return {
    id: sessionIdOf(identity, installationId, bundleId),
    identity,
    installationId,
    bundleId,
    sharedKey: key(),
    x3dhHeader: { key: pub(), id: bundleId },
    ratchet: ratchet(),
    ...extra,
  };
}

function installation(
  identity: Uint8Array,
  id: string,
  extra: Partial<StoredInstallation> = {},
): StoredInstallation {
  return {
    identity,
    id,
    signedPreKey: pub(),
    version: 0,
    protocolVersion: 1,
    enabled: true,
    lastSeen: 1000,
    agreed: false,
    ...extra,
  };
}

function keys(sessionId: string, dh: Uint8Array, seqs: number[]): StoredMessageKey[] {
  return seqs.map((seq) => ({ sessionId, dh, n: seq, messageKey: key(), seq }));
}

/** One behavioural contract for every SessionStore implementation. */
export function describeSessionStoreContract(
  name: string,
  open: () => Promise<StoreHarness>,
  options: { persistent?: boolean } = {},
): void {
  describe(`SessionStore contract: ${name}`, () => {
    const withStore = (test: (h: StoreHarness) => Promise<void>) => async () => {
      const h = await open();
      try {
        await test(h);
      } finally {
        await h.close();
      }
    };

    it(
      'starts empty',
      withStore(async ({ store }) => {
        expect(await store.loadPreKeys()).toEqual([]);
        expect(await store.loadIdentities()).toEqual([]);
        expect(await store.loadInstallations(pub())).toEqual([]);
        expect(await store.loadSessions(pub(), 'x')).toEqual([]);
        expect(await store.loadMessageKey('none', pub(), 0)).toBe(undefined);
        expect(await store.countMessageKeys('none')).toBe(0);
      }),
    );

    it(
      'own prekeys round trip, oldest first, upserted by public key',
      withStore(async ({ store }) => {
        const a = generatePrivateKey();
        const b = generatePrivateKey();
        const later = { privateKey: b, publicKey: getPublicKey(b, 'compressed'), createdMs: 200 };
        const earlier = { privateKey: a, publicKey: getPublicKey(a, 'compressed'), createdMs: 100 };
        await store.apply({ preKeys: [later, earlier] });
        expect(await store.loadPreKeys()).toEqual([earlier, later]);
        await store.apply({ preKeys: [{ ...earlier, createdMs: 300 }] });
        expect((await store.loadPreKeys()).map((p) => p.createdMs)).toEqual([200, 300]);
      }),
    );

    it(
      'installations (bundles) round trip per identity, upserted by id',
      withStore(async ({ store }) => {
        const alice = pub();
        const bob = pub();
        const a1 = installation(alice, 'a1');
        const a2 = installation(alice, 'a2', { signedPreKey: undefined, enabled: false, agreed: true });
        const b1 = installation(bob, 'b1', { version: 3, protocolVersion: 0, lastSeen: 5 });
        await store.apply({ installations: [a1, a2, b1] });
        const byId = (list: StoredInstallation[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
        expect(byId(await store.loadInstallations(alice))).toEqual([a1, a2]);
        expect(await store.loadInstallations(bob)).toEqual([b1]);
        const ids = (await store.loadIdentities()).map((i) => Buffer.from(i).toString('hex')).sort();
        expect(ids).toEqual([alice, bob].map((i) => Buffer.from(i).toString('hex')).sort());
        await store.apply({ installations: [{ ...b1, enabled: false, lastSeen: 9 }] });
        expect(await store.loadInstallations(bob)).toEqual([{ ...b1, enabled: false, lastSeen: 9 }]);
      }),
    );

    it(
      'ratchet sessions round trip with every field, upserted by id, dropped per device with their keys',
      withStore(async ({ store }) => {
        const bob = pub();
        const s1 = session(bob, 'b1');
        const s2 = session(bob, 'b1', { x3dhHeader: undefined, ratchet: ratchet({ dhr: undefined }) });
        const other = session(bob, 'b2');
        await store.apply({
          sessions: [s1, s2, other],
          messageKeys: [...keys(s1.id, pub(), [1, 2]), ...keys(other.id, pub(), [1])],
        });
        const sorted = (list: StoredSession[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
        expect(sorted(await store.loadSessions(bob, 'b1'))).toEqual(sorted([s1, s2]));
        const advanced = { ...s1, x3dhHeader: undefined, ratchet: ratchet({ sendN: 99 }) };
        await store.apply({ sessions: [advanced] });
        expect(sorted(await store.loadSessions(bob, 'b1'))).toEqual(sorted([advanced, s2]));
        await store.apply({ dropSessionsOf: [{ identity: bob, installationId: 'b1' }] });
        expect(await store.loadSessions(bob, 'b1')).toEqual([]);
        expect(await store.countMessageKeys(s1.id)).toBe(0);
        expect(await store.loadSessions(bob, 'b2')).toEqual([other]);
        expect(await store.countMessageKeys(other.id)).toBe(1);
      }),
    );

    it(
      'dropInstallations (applied last) removes the devices with their sessions and message keys',
      withStore(async ({ store }) => {
        const bob = pub();
        const carol = pub();
        const s1 = session(bob, 'b1');
        const s2 = session(bob, 'b2');
        await store.apply({
          installations: [installation(bob, 'b1'), installation(bob, 'b2'), installation(carol, 'c1')],
          sessions: [s1, s2],
          messageKeys: [...keys(s1.id, pub(), [1, 2]), ...keys(s2.id, pub(), [1])],
        });
        const s3 = session(bob, 'b3');
        // A device written and dropped in the same batch is not stored.
        await store.apply({
          installations: [installation(bob, 'b3')],
          sessions: [s3],
          messageKeys: keys(s3.id, pub(), [1]),
          dropInstallations: [
            { identity: bob, installationId: 'b1' },
            { identity: bob, installationId: 'b3' },
          ],
        });
        expect((await store.loadInstallations(bob)).map((i) => i.id)).toEqual(['b2']);
        expect(await store.loadSessions(bob, 'b1')).toEqual([]);
        expect(await store.loadSessions(bob, 'b3')).toEqual([]);
        expect(await store.countMessageKeys(s1.id)).toBe(0);
        expect(await store.countMessageKeys(s3.id)).toBe(0);
        expect(await store.loadSessions(bob, 'b2')).toEqual([s2]);
        expect(await store.countMessageKeys(s2.id)).toBe(1);
        await store.apply({ dropInstallations: [{ identity: carol, installationId: 'c1' }] });
        const ids = (await store.loadIdentities()).map((i) => Buffer.from(i).toString('hex'));
        expect(ids).toEqual([Buffer.from(bob).toString('hex')]);
      }),
    );

    it(
      'skipped message keys: stored, found by (ratchet key, n), deleted on confirm',
      withStore(async ({ store }) => {
        const s = session(pub(), 'b1');
        const dh = pub();
        const stored = keys(s.id, dh, [0, 1, 2]);
        await store.apply({ sessions: [s], messageKeys: stored });
        expect(await store.loadMessageKey(s.id, dh, 1)).toEqual(stored[1]);
        expect(await store.loadMessageKey(s.id, pub(), 1)).toBe(undefined);
        expect(await store.loadMessageKey('other', dh, 1)).toBe(undefined);
        await store.apply({ deleteMessageKeys: [{ sessionId: s.id, dh, n: 1 }] });
        expect(await store.loadMessageKey(s.id, dh, 1)).toBe(undefined);
        expect(await store.countMessageKeys(s.id)).toBe(2);
      }),
    );

    it(
      'the limits: keys with seq <= dropUpToSeq go, then only the newest keepNewest stay',
      withStore(async ({ store }) => {
        const s = session(pub(), 'b1');
        const dh = pub();
        await store.apply({ messageKeys: keys(s.id, dh, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) });
        await store.apply({ pruneMessageKeys: [{ sessionId: s.id, dropUpToSeq: -1, keepNewest: 100 }] });
        expect(await store.countMessageKeys(s.id)).toBe(10);
        await store.apply({ pruneMessageKeys: [{ sessionId: s.id, dropUpToSeq: 3, keepNewest: 100 }] });
        expect(await store.loadMessageKey(s.id, dh, 3)).toBe(undefined);
        expect(await store.loadMessageKey(s.id, dh, 4)).toBeDefined();
        await store.apply({ pruneMessageKeys: [{ sessionId: s.id, dropUpToSeq: 0, keepNewest: 4 }] });
        expect(await store.countMessageKeys(s.id)).toBe(4);
        expect(await store.loadMessageKey(s.id, dh, 6)).toBe(undefined);
        expect(await store.loadMessageKey(s.id, dh, 7)).toBeDefined();
        await store.apply({ pruneMessageKeys: [{ sessionId: s.id, dropUpToSeq: -1, keepNewest: 0 }] });
        expect(await store.countMessageKeys(s.id)).toBe(0);
      }),
    );

    it(
      'apply is atomic: a bad record anywhere in a batch leaves everything as it was',
      withStore(async ({ store }) => {
        const bob = pub();
        const s = session(bob, 'b1');
        await store.apply({ sessions: [s], installations: [installation(bob, 'b1')] });
        const bad = {
          installations: [installation(bob, 'b2')],
          sessions: [{ ...s, ratchet: ratchet({ sendN: 50 }) }],
          dropSessionsOf: [{ identity: bob, installationId: 'b1' }],
          messageKeys: [{ sessionId: s.id, dh: pub(), n: 0, messageKey: new Uint8Array(5), seq: 0 }],
        };
        await expect(store.apply(bad)).rejects.toThrowError(
          expect.objectContaining({ code: SecureTransportErrorCode.InvalidArgument }),
        );
        expect(await store.loadSessions(bob, 'b1')).toEqual([s]);
        expect((await store.loadInstallations(bob)).map((i) => i.id)).toEqual(['b1']);
        expect(await store.countMessageKeys(s.id)).toBe(0);
      }),
    );

    it(
      'reads are copies: mutating them does not change the store',
      withStore(async ({ store }) => {
        const bob = pub();
        const s = session(bob, 'b1');
        await store.apply({ sessions: [s] });
        const loaded = (await store.loadSessions(bob, 'b1'))[0]!;
        loaded.ratchet.rootKey.fill(0);
        loaded.sharedKey.fill(0);
        expect(await store.loadSessions(bob, 'b1')).toEqual([s]);
      }),
    );

    if (options.persistent) {
      it(
        'everything survives closing and reopening',
        withStore(async (h) => {
          const bob = pub();
          const s = session(bob, 'b1');
          const dh = pub();
          const mk = keys(s.id, dh, [4]);
          const p = generatePrivateKey();
          const preKey = { privateKey: p, publicKey: getPublicKey(p, 'compressed'), createdMs: 1 };
          const device = installation(bob, 'b1');
          await h.store.apply({ sessions: [s], messageKeys: mk, preKeys: [preKey], installations: [device] });
          const again = await h.reopen!();
          expect(await again.loadSessions(bob, 'b1')).toEqual([s]);
          expect(await again.loadMessageKey(s.id, dh, 4)).toEqual(mk[0]);
          expect(await again.loadPreKeys()).toEqual([preKey]);
          expect(await again.loadInstallations(bob)).toEqual([device]);
        }),
      );
    }
  });
}
