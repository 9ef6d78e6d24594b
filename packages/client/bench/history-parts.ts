/**
 * The parts of Bob's history fetch, each timed alone through the lower layers' public APIs, each fed with
 * what the part before it produced in the same round (so the parts run on the very bytes the end-to-end
 * round handles):
 *
 * 1. fetch: a bare Waku light node over RLPx asks the same mailserver, through a `MailClient`, for the same
 *    topics and window; includes the server's lookup, the transfer, envelope decoding and hashing/PoW of each
 *    envelope by the node, and the client's pacing between pages (also measured with pacing off); no
 *    filter, so no decryption.
 * 2. waku: each envelope opened with the keys of Bob's filters for its topic (`openEnvelope`: AES-GCM with
 *    the negotiated key, payload parse, signer recovery), as the node's filter set does.
 * 3. secure transport: `SecureTransport.decrypt` of each ProtocolMessage (then `confirm`) by a fresh
 *    transport on a copy of Bob's store as it was when he went offline: the same ratchet state Bob resumes.
 * 4. mvds: `MvdsNode.receive` of each payload and `addPeer` of the sender, on a fresh node (not started).
 * 5. payload: ApplicationMetadataMessage unwrap (signature recovery), ChatMessage decode, received-message
 *    validation and chat id, message id.
 */
import { bytesToHex } from '@status-ts/core';
import { convertPublicKey, generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { MailClient } from '@status-ts/mailserver';
import { MvdsNode, oneToOneGroupId } from '@status-ts/mvds';
import {
  decodeChatMessage,
  messageIdToHex,
  receivedChatId,
  unwrapApplicationMessage,
  validateReceivedChatMessage,
} from '@status-ts/payloads';
import { SecureTransport } from '@status-ts/secure-transport';
import {
  type Envelope,
  openEnvelope,
  type PayloadKey,
  type ReceivedMessage,
  WakuNode,
} from '@status-ts/waku';
import { STATUS_PROFILE } from '../src/index.js';
import type { HistoryScenario } from './history-setup.js';
import { restoreSessions } from './history-setup.js';
import { sleep, timed, until } from './stats.js';

export const PART_NAMES = ['fetch', 'waku', 'secure transport', 'mvds', 'payload'] as const;
export type PartName = (typeof PART_NAMES)[number];

export interface PartsResult {
  /** Wall time of each part. */
  readonly ms: Record<PartName, number>;
  /** CPU time of the process during each part (for the fetch: this node's and the mailserver's). */
  readonly cpuMs: Record<PartName, number>;
  /** Items out of each part (envelopes, opened, decrypted, delivered MVDS messages, chat messages). */
  readonly counts: Record<PartName, number>;
  readonly failures: number;
  /** The fetch's pages as the mail client timed them (a page after the first includes its pacing wait). */
  readonly fetchPageMs: readonly number[];
  /** The same fetch with pacing off: the transfer without the wait before the next page. */
  readonly fetchUnpacedMs: number;
}

/** The bare fetching node: Waku (light, Status profile) over its own RLPx server, kept across rounds. */
export interface Fetcher {
  /**
   * The envelopes, and each page's time as the client reports it (from before its pacing wait). `paced`:
   * the client's default pacing between pages, as the node runs it; off, pages follow at once.
   */
  fetch(s: HistoryScenario, paced: boolean): Promise<{ envelopes: Envelope[]; pageMs: number[] }>;
  stop(): Promise<void>;
}

export async function startFetcher(relayerEnode: string): Promise<Fetcher> {
  const waku = new WakuNode({
    protocols: ['waku'],
    lightNode: true,
    ttl: STATUS_PROFILE.ttl,
    powTimeMs: STATUS_PROFILE.powTimeMs,
  });
  const server = new Server({
    privateKey: generatePrivateKey(),
    clientId: 'status-ts/bench-fetch',
    capabilities: waku.capabilities,
    listen: false,
    staticPeers: [relayerEnode],
  });
  await waku.start();
  await server.start();
  await until(() => waku.peers.length > 0, 10_000);
  return {
    async fetch(s, paced) {
      // A new client per fetch with default options, as the node's History creates one at start: no pacing
      // delay carried over from the previous round's request to the same server.
      const client = new MailClient(waku, paced ? {} : { minRequestIntervalMs: 0 });
      const envelopes: Envelope[] = [];
      const collect = (_peer: unknown, list: Envelope[]) => {
        envelopes.push(...list);
      };
      waku.on('p2p:envelopes', collect);
      const pageMs: number[] = [];
      client.on('page', (page) => pageMs.push(page.elapsedMs));
      await client.requestHistory({
        mailservers: [s.mailserverId],
        topics: s.topics,
        from: s.from,
        to: s.to,
        force: true,
      });
      waku.off('p2p:envelopes', collect);
      client.close();
      return { envelopes, pageMs };
    },
    async stop() {
      await server.stop();
      await waku.stop();
    },
  };
}

/** Bob's distinct keys per topic, as his filter set opens each envelope once per distinct key. */
function keysByTopic(s: HistoryScenario): Map<string, PayloadKey[]> {
  const byTopic = new Map<string, Map<string, PayloadKey>>();
  for (const filter of s.filters) {
    const id =
      filter.key.symKey !== undefined
        ? `s${bytesToHex(filter.key.symKey)}`
        : `a${bytesToHex(filter.key.privateKey)}`;
    for (const topic of filter.topicHexes) {
      const keys = byTopic.get(topic) ?? new Map<string, PayloadKey>();
      byTopic.set(topic, keys.set(id, filter.key));
    }
  }
  return new Map([...byTopic].map(([topic, keys]) => [topic, [...keys.values()]]));
}

interface Decrypted {
  readonly sender: Uint8Array;
  readonly payload: Uint8Array;
  readonly envelopeTimeMs: number;
}

export async function partsRound(s: HistoryScenario, fetcher: Fetcher): Promise<PartsResult> {
  let failures = 0;

  // 1. fetch, twice: unpaced (the transfer alone), then paced as the node does (its envelopes feed the next
  // parts). Each after a second's pause, so the server's per-peer packet budget is full again and the
  // previous step's leftovers (a node stopping, its garbage) are not charged to the fetch.
  await sleep(1000);
  const unpaced = await timed(() => fetcher.fetch(s, false));
  await sleep(1000);
  const fetched = await timed(() => fetcher.fetch(s, true));
  const { envelopes, pageMs } = fetched.value;
  if (unpaced.value.envelopes.length !== envelopes.length) failures++;

  // 2. waku decrypt
  const keys = keysByTopic(s);
  const waku = await timed(() => {
    const opened: ReceivedMessage[] = [];
    for (const envelope of envelopes) {
      for (const key of keys.get(envelope.topicHex) ?? []) {
        try {
          opened.push(openEnvelope(envelope, key, { p2p: true }));
        } catch {
          failures++;
        }
      }
    }
    return opened;
  });

  // 3. secure transport (the restore is set-up, as Bob's store exists before he starts)
  const transport = new SecureTransport({
    identityKey: s.bob.privateKey,
    installationId: s.installationId,
    store: await restoreSessions(s.sessions),
  });
  const secure = await timed(async () => {
    const decrypted: Decrypted[] = [];
    for (const message of waku.value) {
      if (!message.signer) {
        failures++;
        continue;
      }
      try {
        const sender = convertPublicKey(message.signer, 'compressed');
        const result = await transport.decrypt(sender, message.payload);
        await result.confirm();
        decrypted.push({
          sender: message.signer,
          payload: result.payload,
          envelopeTimeMs: message.sent * 1000,
        });
      } catch {
        failures++;
      }
    }
    return decrypted;
  });

  // 4. mvds
  const node = new MvdsNode({ transport: { send: async () => {} } });
  const mvds = await timed(async () => {
    const bodies: Decrypted[] = [];
    for (const item of secure.value) {
      const result = await node.receive(item.sender, item.payload);
      if (!result.mvds) {
        failures++;
        continue;
      }
      await node.addPeer(oneToOneGroupId(s.bob.publicKey, item.sender), item.sender);
      for (const message of result.delivered) bodies.push({ ...item, payload: message.body });
    }
    return bodies;
  });

  // 5. payload decode and verify
  const payload = await timed(() => {
    const ids: string[] = [];
    for (const item of mvds.value) {
      try {
        const wrapper = unwrapApplicationMessage(item.payload);
        if (wrapper.type !== 'CHAT_MESSAGE') {
          failures++;
          continue;
        }
        const message = decodeChatMessage(wrapper.payload);
        validateReceivedChatMessage(message, { envelopeTimeMs: item.envelopeTimeMs, signed: wrapper.signed });
        receivedChatId({
          messageType: 'ONE_TO_ONE',
          chatId: message.chatId,
          author: wrapper.author ?? convertPublicKey(item.sender, 'uncompressed'),
          self: s.bob.publicKey,
        });
        ids.push(messageIdToHex(wrapper.id));
      } catch {
        failures++;
      }
    }
    return ids;
  });

  const parts = {
    fetch: { ...fetched, value: envelopes },
    waku,
    'secure transport': secure,
    mvds,
    payload,
  } as const;
  const pick = (f: (part: { ms: number; cpuMs: number; value: unknown[] }) => number) =>
    Object.fromEntries(PART_NAMES.map((name) => [name, f(parts[name])])) as Record<PartName, number>;
  return {
    ms: pick((part) => part.ms),
    cpuMs: pick((part) => part.cpuMs),
    counts: pick((part) => part.value.length),
    failures,
    fetchPageMs: pageMs,
    fetchUnpacedMs: unpaced.ms,
  };
}
