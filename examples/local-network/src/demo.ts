import { join } from 'node:path';
import type { DeliveryState } from '@status-ts/client';
import { randomBytes } from '@status-ts/crypto';
import { generateMnemonic, publicKeyToMultibase, shortenCompressedKey } from '@status-ts/identity';
import { Cast, type NodeRow } from './cast.js';
import { ChatLog, type Received, type Sent } from './chat-log.js';
import { DeliveryLog } from './delivery-log.js';
import { type DirectChatOutcome, directChat } from './direct-chat.js';
import { type GroupChatOutcome, groupChat } from './group-chat.js';
import { startServices } from './network.js';
import { type OfflineOutcome, offlineHistory } from './offline-history.js';
import { createPhone, PEOPLE, type Person, type Phone } from './people.js';
import { describeFill, type PoolFill, startWatched } from './pool-watch.js';
import { PUBLIC_CHAT, type PublicChatOutcome, publicChatBothWays } from './public-chat.js';
import type { Story } from './story.js';
import { type LegacyRead, startWhisperSide } from './whisper.js';

export interface DemoOptions {
  /** How long any one step may take before the demo fails (default 20 s). */
  readonly timeoutMs?: number;
  /** Each line of the story as it happens. */
  readonly say?: (line: string) => void;
  /** Each part of the story as it begins. */
  readonly section?: (title: string) => void;
}

export interface PersonInfo {
  /** `0x04…` chat key, as messages name their author. */
  readonly id: string;
  /** The three-word name Status shows. */
  readonly name: string;
  /** The compressed chat key as Status shows it (`zQ3…`), shortened. */
  readonly chatKey: string;
}

/** What happened, for the summary and the e2e test. */
export interface DemoReport {
  readonly people: Record<Person, PersonInfo>;
  /** How each PeerPool filled: relayers and the mailserver, the phones, Bob's when he came back. */
  readonly fills: readonly PoolFill[];
  /** What the Whisper-only node read, through the bridge. */
  readonly whisper: readonly LegacyRead[];
  readonly publicChat: PublicChatOutcome;
  readonly direct: DirectChatOutcome;
  readonly group: GroupChatOutcome;
  readonly offline: OfflineOutcome;
  readonly sent: readonly Sent[];
  readonly received: readonly Received[];
  /** The states each followed 1:1 message reached, in order, by message id. */
  readonly deliveryStates: Readonly<Record<string, readonly DeliveryState[]>>;
  readonly nodes: readonly NodeRow[];
  readonly timings: readonly { readonly step: string; readonly ms: number }[];
  /** The throwaway folder (the mailserver's archive, Bob's database), removed by `stop()`. */
  readonly dataDir: string;
  /** Stops every node, closes the SQLite files and removes the data folder. */
  stop(): Promise<{ nodes: number; ms: number }>;
}

/**
 * The demo: a local Status network on 127.0.0.1 built from `@status-ts/client` nodes (and a Whisper bridge
 * on the raw layers), and Alice, Bob and Carol chatting on it. Returns what happened; call `stop()`.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const say = options.say ?? (() => {});
  const section = options.section ?? (() => {});
  const t0 = performance.now();
  const timings: { step: string; ms: number }[] = [];
  let lapStart = t0;
  /** Records how long the step that just ended took. */
  const lap = (step: string) => {
    const now = performance.now();
    timings.push({ step, ms: now - lapStart });
    lapStart = now;
  };
  const cast = new Cast();

  section('The network: a bootstrap node, then relayers and a mailserver that find each other');
  const services = await startServices(cast, { timeoutMs, say });
  for (const fill of services.fills) say(describeFill(fill));
  lap('relayers and mailserver found each other');
  const phones: Partial<Record<Person, Phone>> = {};
  let whisperStop: (() => Promise<void>) | undefined;
  const stop = async () => {
    const started = performance.now();
    const nodes = cast.members.filter((m) => !m.retired).length;
    await Promise.all(Object.values(phones).map((phone) => phone.close()));
    await whisperStop?.();
    await services.stop();
    return { nodes, ms: performance.now() - started };
  };
  try {
    section('Whisper: a bridge speaking waku/1 + shh/6, and a legacy node speaking shh/6 only');
    const whisper = await startWhisperSide(cast, services.relayers[0]!.enode!, PUBLIC_CHAT, {
      timeoutMs,
      onRead: (r) =>
        say(`legacy <- #${PUBLIC_CHAT} over shh/6 from ${cast.authorLabel(r.author)}: "${r.text}"`),
    });
    whisperStop = whisper.stop;
    say('bridge linked to relayer-1 (waku/1) and to legacy-whisper (shh/6)');
    lap('Whisper bridge linked');

    section(
      'Phones: Alice, Bob and Carol find relayers through discovery and use the mailserver the fleet lists',
    );
    const mnemonics = { alice: generateMnemonic(), bob: generateMnemonic(), carol: generateMnemonic() };
    // Bob's phone keeps its data in SQLite: it goes offline later and comes back from the same file.
    const bobData = {
      file: join(services.dataDir, 'bob.db'),
      installationId: globalThis.crypto.randomUUID(),
      atRestKey: randomBytes(32),
    };
    for (const person of PEOPLE) {
      phones[person] = createPhone(cast, person, person, {
        mnemonic: mnemonics[person],
        fleet: services.fleet,
        ...(person === 'bob' ? { data: bobData } : {}),
      });
    }
    const story: Story = {
      cast,
      log: new ChatLog(cast, t0, say),
      deliveries: new DeliveryLog(t0, say),
      phones: phones as Record<Person, Phone>,
      say,
      timeoutMs,
      now: () => performance.now() - t0,
    };
    const people = {} as Record<Person, PersonInfo>;
    for (const person of PEOPLE) {
      const { node } = story.phones[person];
      story.log.watch(person, node, 'first');
      story.deliveries.watch(node);
      const { id, name, publicKey } = node.identity;
      people[person] = { id, name, chatKey: shortenCompressedKey(publicKeyToMultibase(publicKey)) };
      say(`${person.padEnd(6)} is ${name} (chat key ${people[person].chatKey}, from a new BIP39 phrase)`);
    }
    const phoneFills = await Promise.all(
      PEOPLE.map((person) =>
        startWatched(story.phones[person].node, person, cast, { start: 'cold', timeoutMs }),
      ),
    );
    for (const fill of phoneFills) say(describeFill(fill));
    lap('phones found the network');

    section(`Public chat #${PUBLIC_CHAT}`);
    const publicChat = await publicChatBothWays(story, whisper);
    lap('public chat');
    section('1:1 chat: Alice writes to Bob, each delivery state printed as it is reached');
    const direct = await directChat(story);
    lap('1:1 chat');
    section('Group chat: Alice, Bob and Carol; then Alice removes Carol');
    const group = await groupChat(story);
    lap('group chat');
    section('Offline: Bob leaves, Alice writes, Bob comes back and gets it from the mailserver');
    const offline = await offlineHistory(story, {
      bob: cast.members.find((m) => m.label === 'bob')!,
      data: bobData,
      mnemonic: mnemonics.bob,
      mailserver: services.mailserver,
      fleet: services.fleet,
    });
    const showStored = (chat: string, lines: OfflineOutcome['stored']['public']) =>
      say(`bob's ${chat}, from his store in clock order: ${lines.map((l) => `"${l.text}"`).join(', ')}`);
    showStored(`#${PUBLIC_CHAT}`, offline.stored.public);
    showStored('1:1 with alice', offline.stored.direct);
    lap('offline and history');
    timings.push({ step: 'total', ms: performance.now() - t0 });
    return {
      people,
      fills: [...services.fills, ...phoneFills, offline.back],
      whisper: whisper.read,
      publicChat,
      direct,
      group,
      offline,
      sent: story.log.sent,
      received: story.log.received,
      deliveryStates: story.deliveries.followed(),
      nodes: cast.rows(),
      timings,
      dataDir: services.dataDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
