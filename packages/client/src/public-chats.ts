import { bytesToHex, SlicedQueue } from '@status-ts/core';
import {
  type ApplicationMessage,
  type ChatMessage,
  decodeChatMessage,
  decodeEmojiReaction,
  type EmojiReaction,
  type EmojiReactionType,
  encodeEmojiReaction,
  messageIdToHex,
  newChatMessage,
  nextChatClock,
  publicChatId,
  unwrapApplicationMessage,
  validateEmojiReaction,
  validateReceivedChatMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '@status-ts/payloads';
import type { SecureTransport } from '@status-ts/secure-transport';
import { type Filter, publicChat, type ReceivedMessage, type Topic, type WakuNode } from '@status-ts/waku';
import type { ChatContext } from './chat-context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { StatusMessage } from './events.js';
import { publicMessageWrapper } from './public-payload.js';
import { type StatusReaction, toStatusReaction } from './reactions.js';
import type { SeenIds } from './seen-ids.js';

export interface PublicChatsContext extends ChatContext {
  readonly waku: WakuNode;
  readonly transport: SecureTransport;
  /** Envelope hashes already handled (shared with the node: one envelope is read once). */
  readonly seenEnvelopes: SeenIds;
  /** An envelope that came from a mailserver's history (a P2P message from a trusted peer). */
  fromHistory(envelopeHash: string): void;
  /** A chat was joined (true) or left (false): persist it. */
  joined(chatId: string, active: boolean): void;
}

/** A sent message: its Status id and the envelope that carries it. */
export interface SentMessage {
  readonly message: StatusMessage;
  readonly envelopeHash: string;
}

interface JoinedPublicChat {
  readonly name: string;
  readonly topic: Topic;
  readonly symKey: Uint8Array;
  readonly filter: Filter;
  lastClock: number | undefined;
}

/**
 * Public chats (CLI-08): the topic and symmetric key come from the name; messages and reactions are signed
 * wrappers in an unencrypted secure-transport `ProtocolMessage` (our bundle attached), posted in envelopes
 * signed by the chat key; no MVDS. Receivers also read a bare wrapper.
 */
export class PublicChats {
  readonly #context: PublicChatsContext;
  readonly #chats = new Map<string, JoinedPublicChat>();
  /** Received envelopes, handled in order; a burst (a history page) yields to the event loop every 10 ms. */
  readonly #inbox = new SlicedQueue();

  constructor(context: PublicChatsContext) {
    this.#context = context;
  }

  /** Joins `name` (validated); returns the chat id and topic, or undefined when already joined. */
  join(name: string): { name: string; topic: Topic } | undefined {
    const chatId = publicChatId(name);
    if (this.#chats.has(chatId)) return undefined;
    const { topic, symKey } = publicChat(chatId);
    const filter = this.#context.waku.subscribe({ topics: [topic], symKey });
    const chat: JoinedPublicChat = { name: chatId, topic, symKey, filter, lastClock: undefined };
    filter.on('message', (received) => this.#inbox.push(() => this.#receive(chat, received)));
    this.#chats.set(chatId, chat);
    this.#context.joined(chatId, true);
    return { name: chatId, topic };
  }

  leave(name: string): void {
    const chat = this.#chats.get(name);
    if (!chat) return;
    chat.filter.close();
    this.#chats.delete(name);
    this.#context.joined(name, false);
  }

  names(): string[] {
    return [...this.#chats.keys()];
  }

  /** Closes every filter (the node stops); the chats stay joined in the store. */
  closeAll(): void {
    for (const chat of this.#chats.values()) chat.filter.close();
    this.#chats.clear();
  }

  async send(
    name: string,
    text: string,
    options: { responseTo?: string; signal?: AbortSignal },
  ): Promise<SentMessage> {
    const { identity, signer, clock, transport, waku } = this.#context;
    const chat = this.#chat(name);
    const message = newChatMessage({
      chat: { kind: 'public', name: chat.name },
      text,
      now: clock.now(),
      ...(chat.lastClock === undefined ? {} : { lastClock: chat.lastClock }),
      ...(options.responseTo ? { responseTo: options.responseTo } : {}),
    });
    chat.lastClock = message.clock;
    const wrapped = wrapChatMessage(message, signer);
    const payload = await transport.buildPublicMessage(wrapped.bytes);
    const id = messageIdToHex(wrapped.id);
    const delivered = this.#context.toStatusMessage(message, id, identity.id, true, 'public');
    this.#context.deliver(delivered, wrapped.bytes);
    const posted = await waku.post({
      topic: chat.topic,
      symKey: chat.symKey,
      payload,
      signingKey: identity.privateKey,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { message: delivered, envelopeHash: `0x${posted.hashHex}` };
  }

  async react(
    target: Pick<StatusMessage, 'id' | 'chatId'>,
    emoji: EmojiReactionType,
    retract: boolean,
  ): Promise<StatusReaction> {
    const { identity, signer, clock, transport, waku } = this.#context;
    const chat = this.#chat(target.chatId);
    const reaction: EmojiReaction = {
      clock: nextChatClock(chat.lastClock, clock.now()),
      chatId: chat.name,
      messageId: target.id,
      messageType: 'PUBLIC_GROUP',
      type: emoji,
      retracted: retract,
    };
    chat.lastClock = reaction.clock;
    const wrapped = wrapApplicationMessage({
      type: 'EMOJI_REACTION',
      payload: encodeEmojiReaction(reaction),
      signer,
    });
    const delivered = toStatusReaction(reaction, identity.publicKey, chat.name, 'public', identity.id);
    this.#context.deliverReaction(delivered);
    await waku.post({
      topic: chat.topic,
      symKey: chat.symKey,
      payload: await transport.buildPublicMessage(wrapped.bytes),
      signingKey: identity.privateKey,
    });
    return delivered;
  }

  #chat(name: string): JoinedPublicChat {
    const chat = this.#chats.get(name);
    if (!chat) {
      throw new ClientError(
        ClientErrorCode.UnknownChat,
        `join the public chat ${JSON.stringify(name)} first`,
      );
    }
    return chat;
  }

  #receive(chat: JoinedPublicChat, received: ReceivedMessage): void {
    const { identity } = this.#context;
    const envelopeHash = `0x${received.hashHex}`;
    if (!this.#context.seenEnvelopes.add(envelopeHash)) return;
    if (received.p2p) this.#context.fromHistory(envelopeHash);
    const drop = (reason: string, error?: unknown) => this.#context.drop(reason, error, envelopeHash);
    const envelopeTimeMs = received.sent * 1000;
    let wrapper: ApplicationMessage;
    try {
      // Public chat messages must be signed (PAY-13): an unsigned one is deniable and has no author.
      wrapper = unwrapApplicationMessage(publicMessageWrapper(received.payload), { requireSignature: true });
    } catch (error) {
      drop('invalid public chat payload', error);
      return;
    }
    if (wrapper.type === 'EMOJI_REACTION') {
      let reaction: EmojiReaction;
      try {
        reaction = decodeEmojiReaction(wrapper.payload);
        validateEmojiReaction(reaction, envelopeTimeMs);
      } catch (error) {
        drop('invalid emoji reaction', error);
        return;
      }
      if (reaction.messageType !== 'PUBLIC_GROUP' || reaction.chatId !== chat.name) {
        drop(`a reaction for ${JSON.stringify(reaction.chatId)} on the topic of #${chat.name}`);
        return;
      }
      chat.lastClock = Math.max(chat.lastClock ?? 0, reaction.clock);
      this.#context.deliverReaction(
        toStatusReaction(reaction, wrapper.author!, chat.name, 'public', identity.id),
      );
      return;
    }
    if (wrapper.type !== 'CHAT_MESSAGE') {
      drop(`a ${wrapper.type} message on a public chat`);
      return;
    }
    let message: ChatMessage;
    try {
      message = decodeChatMessage(wrapper.payload);
      validateReceivedChatMessage(message, { envelopeTimeMs, signed: wrapper.signed });
    } catch (error) {
      drop('invalid public chat message', error);
      return;
    }
    if (message.messageType !== 'PUBLIC_GROUP' || message.chatId !== chat.name) {
      drop(
        `a ${message.messageType} message for ${JSON.stringify(message.chatId)} on the topic of #${chat.name}`,
      );
      return;
    }
    chat.lastClock = Math.max(chat.lastClock ?? 0, message.clock);
    const author = `0x${bytesToHex(wrapper.author!)}`;
    const id = messageIdToHex(wrapper.id);
    this.#context.deliver(
      {
        ...this.#context.toStatusMessage(message, id, author, author === identity.id, 'public'),
        envelopeHash,
      },
      wrapper.bytes,
    );
  }
}
