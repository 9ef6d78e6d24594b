import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { openMvdsSqliteStore } from '@status-ts/mvds/sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DroppedPayload, StatusMessage, StatusNode } from '../src/index.js';
import { openClientSqliteStore } from '../src/sqlite/index.js';
import {
  type CrashNodeCommand,
  type CrashNodeConfig,
  type CrashNodeEvent,
  DECRYPT_FAILED,
  TEST_MVDS_OPTIONS,
} from './fixtures/crash-node-protocol.js';
import { localNode, waitFor } from './helpers.js';

const repoRoot = join(import.meta.dirname, '../../..');
const childScript = join(import.meta.dirname, 'fixtures/crash-node.ts');
const dir = mkdtempSync(join(tmpdir(), 'client-crash-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const children: BobProcess[] = [];
const running: StatusNode[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
  await Promise.all(running.splice(0).map((node) => node.stop()));
});

type EventOf<T extends CrashNodeEvent['type']> = Extract<CrashNodeEvent, { type: T }>;

/** Bob in his own OS process (fixtures/crash-node.ts), driven over stdin and read from stdout. */
class BobProcess {
  readonly events: CrashNodeEvent[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #stderr = '';

  constructor(config: CrashNodeConfig) {
    // node itself with the tsx loader, not the tsx binary: that one runs the script in a grandchild the
    // SIGKILL would not reach. Sources through the @status-ts/source condition, so no build is needed.
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@status-ts/source', childScript, JSON.stringify(config)],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    children.push(this);
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', () => resolve());
      // A process that could not be spawned never exits: report it instead of waiting forever.
      this.#child.once('error', (error) => {
        this.#stderr += `${error.message}\n`;
        resolve();
      });
    });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      this.events.push(JSON.parse(line) as CrashNodeEvent);
    });
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get signal(): NodeJS.Signals | null {
    return this.#child.signalCode;
  }

  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  send(command: CrashNodeCommand): void {
    this.#child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  eventsOf<T extends CrashNodeEvent['type']>(type: T): EventOf<T>[] {
    return this.events.filter((event): event is EventOf<T> => event.type === type);
  }

  /** Waits for an event of `type` matching `match`; fails at once, with Bob's stderr, if Bob died. */
  async next<T extends CrashNodeEvent['type']>(
    type: T,
    match: (event: EventOf<T>) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<EventOf<T>> {
    const find = () => this.eventsOf(type).find(match);
    await waitFor(
      () => {
        if (!this.alive && !find()) throw new Error(`bob exited while waiting for ${what}:\n${this.#stderr}`);
        return find() !== undefined;
      },
      what,
      timeoutMs,
    );
    return find()!;
  }

  /** Sends SIGKILL (if Bob still runs) and resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Asks Bob to stop and close his stores, and waits for the process to exit. */
  async stop(): Promise<void> {
    this.send({ type: 'stop' });
    await this.#exited;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const textsOf = (messages: readonly { text: string }[]) => messages.map((m) => m.text);
const sorted = (texts: readonly string[]) => [...texts].sort();

describe('kill -9 mid-conversation, restart from the SQLite file', () => {
  it('the ratchet, MVDS and the store resume: nothing lost, nothing twice', { timeout: 60_000 }, async () => {
    // Discovery off everywhere: the nodes know each other by enode and must stay on 127.0.0.1.
    const relayer = localNode({
      role: 'relayer',
    });
    running.push(relayer);
    await relayer.start();
    const alice = localNode({
      staticPeers: [relayer.enode!],
      mvds: TEST_MVDS_OPTIONS,
    });
    running.push(alice);
    await alice.start();
    const aliceReceived: StatusMessage[] = [];
    alice.on('message', (m) => !m.outgoing && aliceReceived.push(m));
    const aliceDrops: DroppedPayload[] = [];
    alice.on('dropped', (drop) => aliceDrops.push(drop));
    const alicePosted = new Set<string>();
    alice.waku.on('envelope:new', (envelope, { local }) => local && alicePosted.add(`0x${envelope.hashHex}`));
    const aliceSent: StatusMessage[] = [];
    const bobSays = new Set<string>(); // every text Bob was asked to send

    const config: CrashNodeConfig = {
      databaseFile: join(dir, 'bob.db'),
      privateKeyHex: bytesToHex(generatePrivateKey()),
      installationId: globalThis.crypto.randomUUID(),
      atRestKeyHex: bytesToHex(randomBytes(32)),
      relayerEnode: relayer.enode!,
    };
    const first = new BobProcess(config);
    const bobId = (await first.next('ready', () => true, 'bob started', 30_000)).id;
    const aliceWrites = async (text: string) => {
      aliceSent.push(await alice.sendDirectMessage(bobId, text));
    };
    const bobWrites = (bob: BobProcess, text: string) => {
      bobSays.add(text);
      bob.send({ type: 'send', to: alice.identity.id, text });
    };
    const bobRead = (bob: BobProcess, text: string) =>
      bob.next('message', (m) => !m.outgoing && m.text === text, `bob reading "${text}"`);
    const aliceRead = (text: string) =>
      waitFor(() => aliceReceived.some((m) => m.text === text), `alice reading "${text}"`);
    const acknowledgedByBob = (text: string) =>
      waitFor(
        () => alice.deliveryState(aliceSent.find((m) => m.text === text)!.id) === 'acknowledged',
        `bob's ack of "${text}"`,
      );

    // A conversation both ways, every message acknowledged: sessions exist, the ratchet has turned.
    await aliceWrites('alice 1');
    await bobRead(first, 'alice 1');
    bobWrites(first, 'bob 1');
    await aliceRead('bob 1');
    await aliceWrites('alice 2');
    await aliceWrites('alice 3');
    await bobRead(first, 'alice 3');
    bobWrites(first, 'bob 2');
    await aliceRead('bob 2');
    for (const text of ['alice 1', 'alice 2', 'alice 3']) await acknowledgedByBob(text);
    for (const text of ['bob 1', 'bob 2']) {
      const { id } = await first.next('sent', (m) => m.text === text, `bob sending "${text}"`);
      await first.next(
        'delivery',
        (d) => d.id === id && d.state === 'acknowledged',
        `alice's ack of "${text}"`,
      );
    }

    // Alice keeps writing (a message every 150 ms, real sockets) through Bob's crash and restart.
    const stream = (async () => {
      for (let n = 4; n <= 15; n++) {
        await aliceWrites(`alice ${n}`);
        await sleep(150);
      }
    })();
    // Bob answers right after reading "alice 6" and dies as soon as MVDS holds the answers: they are not
    // acknowledged yet, and Alice's later messages are on their way.
    await bobRead(first, 'alice 6');
    bobWrites(first, 'bob 3');
    bobWrites(first, 'bob 4');
    await first.next('sent', (m) => m.text === 'bob 4', 'bob sending "bob 4"');
    await first.kill();
    expect(first.signal).toBe('SIGKILL');
    const acknowledgedAtKill = new Set(
      first.eventsOf('delivery').flatMap((d) => (d.state === 'acknowledged' ? [d.id] : [])),
    );
    const unacknowledgedAtKill = first.eventsOf('sent').filter((m) => !acknowledgedAtKill.has(m.id));
    expect(textsOf(unacknowledgedAtKill)).toContain('bob 4');

    const second = new BobProcess(config);
    const restarted = await second.next('ready', () => true, 'bob restarted', 30_000);
    expect(restarted.id).toBe(bobId);
    // MVDS found Bob's unacknowledged answers in the file and resends them.
    expect(restarted.pendingRecordsAtStart).toBeGreaterThan(0);
    await stream;
    // After the restart the conversation goes on, both ways.
    await aliceWrites('alice after restart');
    await bobRead(second, 'alice after restart');
    bobWrites(second, 'bob after restart');
    await aliceRead('bob after restart');

    // Everything arrives: Alice's messages are acknowledged by Bob, Bob's (the ones unacknowledged at the
    // kill included) reach Alice and Bob's MVDS has nothing left to resend.
    for (const message of aliceSent) await acknowledgedByBob(message.text);
    for (const text of bobSays) await aliceRead(text);
    // The restarted MVDS clears, one ack each, the records found in the file and those of its own answers.
    await waitFor(
      () =>
        second.eventsOf('mvds-acked').length ===
        restarted.pendingRecordsAtStart + second.eventsOf('sent').length,
      "alice's acks of every answer of bob",
    );
    await second.stop();
    expect(second.exitCode).toBe(0);
    const bobEvents = [...first.events, ...second.events];
    expect(bobEvents.filter((e) => e.type === 'failure')).toEqual([]);

    // Bob's file: every message of the conversation exactly once, Alice's and his own.
    const store = openClientSqliteStore(config.databaseFile);
    const mvds = openMvdsSqliteStore(store.db);
    try {
      const page = await store.messages(alice.identity.id, { limit: 500 });
      const stored = page.messages;
      expect(new Set(stored.map((m) => m.id)).size).toBe(stored.length);
      const storedFromAlice = stored.filter((m) => !m.outgoing);
      expect(sorted(textsOf(storedFromAlice))).toEqual(sorted(textsOf(aliceSent)));
      expect(sorted(storedFromAlice.map((m) => m.id))).toEqual(sorted(aliceSent.map((m) => m.id)));
      expect(sorted(textsOf(stored.filter((m) => m.outgoing)))).toEqual(sorted([...bobSays]));
      // Acks that reached the restarted Bob for answers the first process sent moved their states too.
      expect(
        stored.filter((m) => m.outgoing && m.deliveryState !== 'acknowledged').map((m) => m.text),
      ).toEqual([]);
      expect(await mvds.syncState.size()).toBe(0);
    } finally {
      mvds.close();
      await store.close();
    }

    // No message was handed to the app twice, in either process or across the two.
    const bobShown = bobEvents.flatMap((e) => (e.type === 'message' && !e.outgoing ? [e.id] : []));
    expect(new Set(bobShown).size).toBe(bobShown.length);
    // Alice received each of Bob's answers once (MVDS resends after the restart included), as she stored it.
    expect(sorted(textsOf(aliceReceived))).toEqual(sorted([...bobSays]));
    const aliceStored = (await alice.chatMessages(bobId, { limit: 500 })).messages.filter((m) => !m.outgoing);
    expect(sorted(textsOf(aliceStored))).toEqual(sorted([...bobSays]));

    // The ratchet resumed: after the restart both ends read each other on the stored sessions (no new
    // key exchange), and nothing new from Alice failed to decrypt. The relayer replays its pool to the
    // restarted Bob, which holds two kinds of envelopes Bob cannot open, both expected: Alice's that the
    // first process already opened (their message keys are used up) and the first process's own posts
    // to Alice (encrypted for her installation).
    expect(second.eventsOf('message').filter((m) => !m.outgoing && m.protection !== 'ratchet')).toEqual([]);
    expect(aliceReceived.find((m) => m.text === 'bob after restart')!.protection).toBe('ratchet');
    expect(first.eventsOf('dropped').filter((d) => d.reason === DECRYPT_FAILED)).toEqual([]);
    const seenBeforeKill = new Set(first.eventsOf('envelope').map((e) => e.hash));
    const newFromAliceNotOpened = second
      .eventsOf('dropped')
      .filter(
        (d) =>
          d.reason === DECRYPT_FAILED &&
          alicePosted.has(d.envelopeHash) &&
          !seenBeforeKill.has(d.envelopeHash),
      );
    expect(newFromAliceNotOpened).toEqual([]);
    expect(aliceDrops.filter((d) => d.reason === DECRYPT_FAILED)).toEqual([]);
  });
});
