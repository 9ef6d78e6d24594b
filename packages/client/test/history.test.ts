import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { publicChat } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { createStatusNode, type HistoryProgress, resolveIdentity, type StatusMessage } from '../src/index.js';
import { localNode, useNodes, waitFor, waitForArchived } from './helpers.js';

const { started } = useNodes();

const MISSED = 50;

describe('offline history from a mailserver', () => {
  it(`Bob offline while Alice sends ${MISSED} 1:1 and ${MISSED} public messages: back, he gets all of them once, in clock order`, async () => {
    const mailserver = await started(
      localNode({
        mailserver: true,
      }),
    );
    const alice = await started(
      localNode({
        staticPeers: [mailserver.enode!],
      }),
    );
    const bobKey = generatePrivateKey();
    const bob = await started(
      createStatusNode({
        discovery: false,
        identity: { privateKey: bobKey },
        staticPeers: [mailserver.enode!],
      }),
    );
    await waitFor(() => mailserver.waku.peers.length === 2, 'both connected');
    alice.joinPublicChat('history');
    bob.joinPublicChat('history');
    await bob.stop();
    await waitFor(() => mailserver.waku.peers.length === 1, 'bob gone');

    for (let i = 1; i <= MISSED; i++) {
      await alice.sendPublicMessage('history', `public ${i}`);
      await alice.sendDirectMessage(bob.identity.id, `direct ${i}`);
    }
    // Everything Alice sent is archived: 50 public envelopes and the MVDS payloads carrying the 1:1 ones.
    await waitForArchived(mailserver, publicChat('history').topic, MISSED);

    const back = await started(
      createStatusNode({
        discovery: false,
        identity: { privateKey: bobKey },
        staticPeers: [mailserver.enode!],
      }),
    );
    await back.waitForPeers();
    back.joinPublicChat('history');
    const received: StatusMessage[] = [];
    back.on('message', (message) => received.push(message));
    const pages: number[] = [];
    back.on('history:page', (page) => pages.push(page.envelopes));
    const result = await back.requestHistory({ mailserver: bytesToHex(mailserver.server.id) });
    await waitFor(() => received.length === 2 * MISSED, `${2 * MISSED} messages`, 20_000);
    await back.idle();

    expect(new Set(received.map((m) => m.id)).size).toBe(2 * MISSED);
    expect(received.filter((m) => m.chatKind === 'public')).toHaveLength(MISSED);
    expect(received.filter((m) => m.chatKind === 'one-to-one')).toHaveLength(MISSED);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(result.envelopes);
    // The store gives each chat in clock order, which is the order Alice wrote in.
    const publicPage = await back.chatMessages('history', { limit: 100 });
    expect(publicPage.messages.map((m) => m.text)).toEqual(
      Array.from({ length: MISSED }, (_, i) => `public ${i + 1}`),
    );
    const directPage = await back.chatMessages(alice.identity.id, { limit: 100 });
    expect(directPage.messages.map((m) => m.text)).toEqual(
      Array.from({ length: MISSED }, (_, i) => `direct ${i + 1}`),
    );
    // Bob's MVDS acknowledged what history brought: Alice's messages reach `acknowledged`.
    const last = (await alice.chatMessages(bob.identity.id, { limit: 100 })).messages.at(-1)!;
    await waitFor(() => alice.deliveryState(last.id) === 'acknowledged', 'acks back to alice', 20_000);
    // A second fetch of a topic starts where the first ended and brings nothing new.
    const again = await back.requestHistory({
      mailserver: bytesToHex(mailserver.server.id),
      topics: [publicChat('history').topic],
    });
    expect(again.from).toBeGreaterThanOrEqual(result.fetchedUntil - 1);
    await back.idle();
    expect(received).toHaveLength(2 * MISSED);
  });
});

describe('history by itself', () => {
  it('with historyFrom, a node back online fetches what it missed on connecting and on joining a chat', async () => {
    const mailserver = await started(
      localNode({
        mailserver: true,
      }),
    );
    const alice = await started(
      localNode({
        staticPeers: [mailserver.enode!],
      }),
    );
    alice.joinPublicChat('auto');
    const bobKey = generatePrivateKey();
    const bobId = resolveIdentity({ privateKey: bobKey }).id;
    await waitFor(() => mailserver.waku.peers.length === 1, 'alice connected');
    for (let i = 1; i <= 5; i++) {
      await alice.sendPublicMessage('auto', `public ${i}`);
      await alice.sendDirectMessage(bobId, `direct ${i}`);
    }
    await waitForArchived(mailserver, publicChat('auto').topic, 5);

    const bob = createStatusNode({
      discovery: false,
      identity: { privateKey: bobKey },
      staticPeers: [mailserver.enode!],
      historyFrom: bytesToHex(mailserver.server.id),
    });
    const received: StatusMessage[] = [];
    bob.on('message', (m) => received.push(m));
    const done: number[] = [];
    bob.on('history:done', (result) => done.push(result.topics));
    await started(bob);
    await waitFor(
      () => received.filter((m) => m.chatKind === 'one-to-one').length === 5,
      'the 1:1 history on connecting',
    );
    bob.joinPublicChat('auto'); // joining fetches that chat's history
    await waitFor(
      () => received.filter((m) => m.chatKind === 'public').length === 5,
      'the public history on joining',
    );
    expect(new Set(received.map((m) => m.id)).size).toBe(10);
    expect(done.length).toBeGreaterThanOrEqual(2);
  });
});

describe('history progress', () => {
  it('counts pages, envelopes and the messages history brought; such messages say fromHistory', async () => {
    const mailserver = await started(
      localNode({
        mailserver: true,
      }),
    );
    // Envelopes that live 1 s: gone from every pool before Bob connects, so only history can bring them.
    const alice = await started(
      localNode({
        staticPeers: [mailserver.enode!],
        waku: { ttl: 1 },
      }),
    );
    await alice.waitForPeers();
    alice.joinPublicChat('progress');
    await new Promise((resolve) => setTimeout(resolve, 300)); // alice's interest reaches the mailserver
    for (let i = 1; i <= 5; i++) await alice.sendPublicMessage('progress', `old ${i}`);
    await waitForArchived(mailserver, publicChat('progress').topic, 5);
    await new Promise((resolve) => setTimeout(resolve, 2_200)); // past the TTL: out of every pool

    const bob = await started(
      localNode({
        staticPeers: [mailserver.enode!],
      }),
    );
    const progress: HistoryProgress[] = [];
    bob.on('history:progress', (p) => progress.push(p));
    const received: StatusMessage[] = [];
    bob.on('message', (m) => received.push(m));
    await bob.waitForPeers();
    bob.joinPublicChat('progress');
    const result = await bob.requestHistory({ mailserver: mailserver.server.id });
    await waitFor(() => received.length === 5, 'the five messages from history');
    expect(received.map((m) => m.text).sort()).toEqual(['old 1', 'old 2', 'old 3', 'old 4', 'old 5']);
    expect(received.every((m) => m.fromHistory === true)).toBe(true);
    const last = progress.at(-1)!;
    expect(last).toEqual({ pages: result.pages, envelopes: result.envelopes, messages: 5 });
    expect(progress.map((p) => p.messages)).toEqual(
      [...progress.map((p) => p.messages)].sort((a, b) => a - b),
    );
  });
});
