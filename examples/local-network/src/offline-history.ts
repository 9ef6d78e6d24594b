import type { Fleet, HistoryResult, StatusMessage, StatusNode } from '@status-ts/client';
import type { Member } from './cast.js';
import { createPhone, type PhoneData } from './people.js';
import { describeFill, type PoolFill, startWatched } from './pool-watch.js';
import { PUBLIC_CHAT } from './public-chat.js';
import { nodeOf, type Story } from './story.js';
import { sleep, waitFor } from './wait.js';

/** Public and 1:1 messages Alice sends each while Bob is away. */
export const MISSED_EACH = 3;

/** After Bob has everything, how long to keep listening for a copy delivered twice. */
const AFTER_HISTORY_MS = 1_000;

/** One history fetch Bob's node made by itself from the mailserver its PeerPool selected. */
export interface HistoryFetch extends HistoryResult {
  /** The mailserver's label. */
  readonly served: string;
}

export interface OfflineOutcome {
  /** What Alice sent while Bob was away, in the order she sent it. */
  readonly missed: readonly StatusMessage[];
  /** How Bob's PeerPool filled when he came back (from his peer cache). */
  readonly back: PoolFill;
  readonly fetches: readonly HistoryFetch[];
  /** Bob's chats with Alice as his store gives them after the fetch, oldest first (clock order). */
  readonly stored: { readonly public: readonly StoredLine[]; readonly direct: readonly StoredLine[] };
}

export interface StoredLine {
  readonly id: string;
  readonly text: string;
  readonly clock: number;
}

/**
 * Bob's phone stops (its SQLite file stays). Alice posts to #status-ts and writes to Bob; the mailserver
 * confirms and archives each envelope. Bob's phone starts again from the same file and key: its PeerPool
 * dials the peers of its last run from the cache, selects the mailserver, and the node fetches what it
 * missed by itself; the store shows each message once, in clock order.
 */
export async function offlineHistory(
  story: Story,
  options: { bob: Member; data: PhoneData; mnemonic: string; mailserver: StatusNode; fleet: Fleet },
): Promise<OfflineOutcome> {
  const { log, deliveries, say, timeoutMs, cast } = story;
  const alice = nodeOf(story, 'alice');
  const bobId = nodeOf(story, 'bob').identity.id;
  await nodeOf(story, 'bob').idle();
  cast.retire(options.bob);
  await story.phones.bob.close();
  say(`bob    went offline (his phone stopped; ${options.data.file} stays)`);

  // The mailserver confirms each envelope it takes (Waku confirmations): then it is in its archive.
  const confirmed = new Set<string>();
  alice.waku.on('envelope:confirmed', ({ envelope }) => confirmed.add(`0x${envelope.hashHex}`));
  const missed: StatusMessage[] = [];
  const publicEnvelopes: string[] = [];
  for (let i = 1; i <= MISSED_EACH; i++) {
    const posted = await alice.sendPublicMessage(PUBLIC_CHAT, `while Bob is away, ${i} of ${MISSED_EACH}`);
    publicEnvelopes.push(posted.envelopeHash);
    missed.push(log.sentBy('alice', posted.message));
    const direct = await alice.sendDirectMessage(
      bobId,
      `Bob, read this when you are back (${i} of ${MISSED_EACH})`,
    );
    missed.push(log.sentBy('alice', direct));
    deliveries.follow(direct.id, `alice's "${direct.text}"`);
  }
  const directIds = missed.filter((m) => m.chatKind === 'one-to-one').map((m) => m.id);
  await waitFor(
    () =>
      publicEnvelopes.every((hash) => confirmed.has(hash)) &&
      directIds.every((id) => deliveries.states(id).includes('confirmed')),
    'the mailserver confirming what Alice sent',
    timeoutMs,
  );
  await options.mailserver.mailserver!.flush();
  const { archived } = options.mailserver.mailserver!.counters;
  say(`mailserver confirmed each envelope and archived it (${archived} in its SQLite archive so far)`);

  const phone = createPhone(cast, 'bob', 'bob (back)', {
    mnemonic: options.mnemonic,
    fleet: options.fleet,
    data: options.data,
  });
  story.phones.bob = phone;
  const bob = phone.node;
  log.watch('bob', bob, 'back');
  deliveries.watch(bob);
  const fetches: HistoryFetch[] = [];
  bob.on('history:done', (result) => {
    const fetch = { ...result, served: cast.nodeLabel(result.mailserver) };
    fetches.push(fetch);
    say(
      `bob    fetched history from ${fetch.served} by himself: ${plural(result.topics, 'topic')}, ` +
        `${plural(result.pages, 'page')}, ${plural(result.envelopes, 'envelope')} in ${result.durationMs.toFixed(0)} ms`,
    );
  });
  const back = await startWatched(bob, 'bob (back)', cast, { start: 'warm', timeoutMs });
  say(describeFill(back));
  // The node does not rejoin chats by itself; the app does, and joining fetches the chat's history.
  bob.joinPublicChat(PUBLIC_CHAT);
  await waitFor(
    () =>
      missed.every((m) => log.has('bob', m.id)) &&
      directIds.every((id) => alice.deliveryState(id) === 'acknowledged'),
    'Bob receiving what he missed, and acknowledging the 1:1 messages',
    timeoutMs,
  );
  await sleep(AFTER_HISTORY_MS);
  await bob.idle();
  const lines = async (chatId: string) =>
    (await bob.chatMessages(chatId, { limit: 100 })).messages.map(({ id, text, clock }) => ({
      id,
      text,
      clock,
    }));
  const stored = { public: await lines(PUBLIC_CHAT), direct: await lines(alice.identity.id) };
  return { missed, back, fetches, stored };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
