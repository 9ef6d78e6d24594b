import type { ChatKind, StatusMessage, StatusNode } from '@status-ts/client';
import type { Cast } from './cast.js';
import type { Person } from './people.js';

/** A chat message a person's node delivered, as the demo saw it. */
export interface Received {
  readonly to: Person;
  /** Which run of the person's phone got it (Bob's phone runs twice). */
  readonly run: 'first' | 'back';
  readonly kind: ChatKind;
  readonly chatId: string;
  readonly id: string;
  /** The author's label (`alice`…), from the message's signature. */
  readonly from: string;
  readonly text: string;
  readonly clock: number;
  readonly responseTo: string;
  /** Since the demo started. */
  readonly ms: number;
}

/** A chat message a person sent. */
export interface Sent {
  readonly by: Person;
  readonly kind: ChatKind;
  readonly chatId: string;
  readonly id: string;
  readonly text: string;
  readonly clock: number;
  readonly ms: number;
}

/** Every chat message sent and received in the demo, printed as it happens. */
export class ChatLog {
  readonly received: Received[] = [];
  readonly sent: Sent[] = [];
  readonly #cast: Cast;
  readonly #t0: number;
  readonly #say: (line: string) => void;
  readonly #chatNames = new Map<string, string>();

  constructor(cast: Cast, t0: number, say: (line: string) => void) {
    this.#cast = cast;
    this.#t0 = t0;
    this.#say = say;
  }

  /** Records (and prints) what `person`'s node receives from others. */
  watch(person: Person, node: StatusNode, run: Received['run']): void {
    node.on('message', (m) => {
      if (m.outgoing) return;
      const entry: Received = {
        to: person,
        run,
        kind: m.chatKind,
        chatId: m.chatId,
        id: m.id,
        from: this.#cast.authorLabel(m.author),
        text: m.text,
        clock: m.clock,
        responseTo: m.responseTo,
        ms: performance.now() - this.#t0,
      };
      this.received.push(entry);
      const reply = m.responseTo ? ' (a reply)' : '';
      this.#say(
        `${person.padEnd(6)} <- ${this.#chat(m.chatKind, m.chatId)} from ${entry.from}: "${m.text}"${reply} ` +
          `at ${entry.ms.toFixed(0)} ms`,
      );
    });
  }

  /** Records (and prints) a message `person` sent; returns it. */
  sentBy(person: Person, message: StatusMessage): StatusMessage {
    const entry: Sent = {
      by: person,
      kind: message.chatKind,
      chatId: message.chatId,
      id: message.id,
      text: message.text,
      clock: message.clock,
      ms: performance.now() - this.#t0,
    };
    this.sent.push(entry);
    const to = message.chatKind === 'one-to-one' ? ` to ${this.#cast.authorLabel(message.chatId)}` : '';
    this.#say(
      `${person.padEnd(6)} -> ${this.#chat(message.chatKind, message.chatId)}${to}: "${message.text}"`,
    );
    return message;
  }

  /** Names a group chat in what is printed. */
  nameChat(chatId: string, name: string): void {
    this.#chatNames.set(chatId, name);
  }

  /** What `person` received, optionally only message `id`. */
  inbox(person: Person, id?: string): Received[] {
    return this.received.filter((r) => r.to === person && (id === undefined || r.id === id));
  }

  has(person: Person, id: string): boolean {
    return this.inbox(person, id).length > 0;
  }

  /** `#status-ts`, `1:1`, `group "three"`. */
  #chat(kind: ChatKind, chatId: string): string {
    if (kind === 'public') return `#${chatId}`;
    if (kind === 'one-to-one') return '1:1';
    return `group "${this.#chatNames.get(chatId) ?? chatId.slice(0, 8)}"`;
  }
}
