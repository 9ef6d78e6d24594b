import { bytesToHex } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import {
  type ApplicationMessage,
  adminsAdded,
  chatCreated,
  checkGroupChatEntity,
  checkMembershipUpdate,
  decodeMembershipUpdate,
  deriveGroupState,
  type EmojiReaction,
  type EmojiReactionType,
  encodeMembershipUpdate,
  type GroupState,
  type MembershipEvent,
  memberJoined,
  memberRemoved,
  membersAdded,
  messageIdToHex,
  newChatMessage,
  newGroupChatId,
  nextChatClock,
  oneToOneChatPeer,
  type SignedMembershipEvent,
  signMembershipEvent,
  toMemberId,
  validateEmojiReaction,
  validateReceivedChatMessage,
  wrapApplicationMessage,
} from '@status-ts/payloads';
import type { ChatContext } from './chat-context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { StatusMessage } from './events.js';
import { type StatusReaction, toStatusReaction } from './reactions.js';

/** What group chats need from the node. */
export interface GroupChatsContext extends ChatContext {
  /** status-go's sendPrivate to each peer (MVDS, secure transport, Waku). */
  sendPrivately(
    peers: readonly Uint8Array[],
    wrapper: Uint8Array,
    id: string,
    options?: { track?: boolean },
  ): Promise<void>;
  /** The group's state changed (created, joined, renamed, members in or out): persist it. */
  changed(state: GroupState, entries: readonly Uint8Array[]): void;
}

/** A private group chat as the node knows it. */
export interface GroupChatInfo {
  readonly chatId: string;
  readonly name: string;
  readonly members: readonly string[];
  readonly admins: readonly string[];
  readonly joined: readonly string[];
}

/**
 * Private group chats as status-go v0.62.0 runs them: every change is a signed membership event; every
 * message, and every change, travels as a MembershipUpdateMessage carrying the whole event log (and the
 * chat message, if any), sent privately to each member (chat messages: to each member who joined), so
 * there is no group topic and a removed member receives nothing sent after its removal. The group state is
 * derived from the event log with status-go's rules, and an update is accepted only if status-go would.
 */
export class GroupChats {
  readonly #context: GroupChatsContext;
  readonly #groups = new Map<string, { state: GroupState; events: SignedMembershipEvent[] }>();

  constructor(context: GroupChatsContext) {
    this.#context = context;
  }

  /** The groups we know, with their members. */
  list(): GroupChatInfo[] {
    return [...this.#groups.values()].map(({ state }) => info(state));
  }

  get(chatId: string): GroupChatInfo | undefined {
    const group = this.#groups.get(chatId);
    return group ? info(group.state) : undefined;
  }

  /** Creates a group with us as admin and `members` added, and tells them. */
  async create(name: string, members: readonly (Uint8Array | string)[]): Promise<GroupChatInfo> {
    const chatId = newGroupChatId(this.#context.identity.publicKey);
    const clock = this.#context.clock.now();
    const events = [
      this.#sign(chatId, chatCreated(name, clock)),
      this.#sign(
        chatId,
        membersAdded(
          members.map((m) => toMemberId(m)),
          clock + 1,
        ),
      ),
    ];
    return this.#apply(chatId, events, events);
  }

  /** Accepts the invitation to a group we were added to (MEMBER_JOINED), so we receive its messages. */
  join(chatId: string): Promise<GroupChatInfo> {
    return this.#change(chatId, (clock) => memberJoined(clock));
  }

  /** Adds members (admins only). */
  addMembers(chatId: string, members: readonly (Uint8Array | string)[]): Promise<GroupChatInfo> {
    return this.#change(chatId, (clock) =>
      membersAdded(
        members.map((m) => toMemberId(m)),
        clock,
      ),
    );
  }

  /** Removes a member (an admin removes a non-admin; anyone removes itself: leaving). */
  removeMember(chatId: string, member: Uint8Array | string): Promise<GroupChatInfo> {
    return this.#change(chatId, (clock) => memberRemoved(toMemberId(member), clock));
  }

  /** Makes members admins (admins only). */
  addAdmins(chatId: string, members: readonly (Uint8Array | string)[]): Promise<GroupChatInfo> {
    return this.#change(chatId, (clock) =>
      adminsAdded(
        members.map((m) => toMemberId(m)),
        clock,
      ),
    );
  }

  /** Sends a text to every member who joined, with the group's event log. */
  async send(chatId: string, text: string, options: { responseTo?: string } = {}): Promise<StatusMessage> {
    const group = this.#require(chatId);
    const self = this.#context.identity.id;
    if (!group.state.hasJoined(self)) {
      throw new ClientError(ClientErrorCode.UnknownChat, 'join the group chat before writing to it');
    }
    const message = newChatMessage({
      chat: { kind: 'group', chatId },
      text,
      now: this.#context.clock.now(),
      lastClock: group.state.lastClock,
      ...(options.responseTo ? { responseTo: options.responseTo } : {}),
    });
    const bytes = encodeMembershipUpdate({
      chatId,
      events: group.events,
      chatEntity: { case: 'message', value: message },
    });
    const wrapped = wrapApplicationMessage({
      type: 'MEMBERSHIP_UPDATE_MESSAGE',
      payload: bytes,
      signer: this.#context.signer,
    });
    const id = messageIdToHex(wrapped.id);
    const delivered = this.#context.toStatusMessage(message, id, self, true, 'group');
    // MVDS first: once it holds the message, a restart finds it there even if the store never got it.
    await this.#context.sendPrivately(this.#recipients(group.state, 'joined'), wrapped.bytes, id);
    this.#context.deliver(delivered, wrapped.bytes);
    return delivered;
  }

  /** Reacts to a message of a group (or takes the reaction back): to every member who joined. */
  async react(
    target: { readonly id: string; readonly chatId: string },
    emoji: EmojiReactionType,
    retract: boolean,
  ): Promise<StatusReaction> {
    const group = this.#require(target.chatId);
    const { identity } = this.#context;
    if (!group.state.hasJoined(identity.id)) {
      throw new ClientError(ClientErrorCode.UnknownChat, 'join the group chat before reacting in it');
    }
    const reaction: EmojiReaction = {
      clock: nextChatClock(group.state.lastClock, this.#context.clock.now()),
      chatId: target.chatId,
      messageId: target.id,
      messageType: 'PRIVATE_GROUP',
      type: emoji,
      retracted: retract,
    };
    const bytes = encodeMembershipUpdate({
      chatId: target.chatId,
      events: group.events,
      chatEntity: { case: 'emojiReaction', value: reaction },
    });
    const wrapped = wrapApplicationMessage({
      type: 'MEMBERSHIP_UPDATE_MESSAGE',
      payload: bytes,
      signer: this.#context.signer,
    });
    const delivered = toStatusReaction(reaction, identity.publicKey, target.chatId, 'group', identity.id);
    this.#context.deliverReaction(delivered);
    await this.#context.sendPrivately(
      this.#recipients(group.state, 'joined'),
      wrapped.bytes,
      messageIdToHex(wrapped.id),
      { track: false },
    );
    return delivered;
  }

  /** A MEMBERSHIP_UPDATE_MESSAGE received privately: accept it as status-go would, then deliver its message. */
  receive(
    wrapper: ApplicationMessage,
    sender: Uint8Array,
    envelopeTimeMs: number,
    envelopeHash: string,
    protection?: StatusMessage['protection'],
  ): void {
    let update: ReturnType<typeof decodeMembershipUpdate>;
    try {
      update = decodeMembershipUpdate(wrapper.payload);
    } catch (error) {
      this.#context.drop('an invalid membership update', error, envelopeHash);
      return;
    }
    const existing = this.#groups.get(update.chatId);
    const check = checkMembershipUpdate(update.chatId, update.entries, {
      timeMs: envelopeTimeMs,
      self: this.#context.identity.id,
      ...(existing ? { existing: existing.events } : {}),
    });
    if (!check.accepted) {
      this.#context.drop('a membership update status-go would refuse', check.error, envelopeHash);
      return;
    }
    const state = check.state;
    const changed = !existing || existing.state.events.length !== state.events.length;
    this.#groups.set(update.chatId, { state, events: [...state.events] });
    if (changed)
      this.#context.changed(
        state,
        state.events.map((e) => e.bytes),
      );
    const entity = update.chatEntity;
    if (entity === undefined) return;
    const author = wrapper.author ?? convertPublicKey(sender, 'uncompressed');
    if (entity.case === 'emojiReaction') {
      const reaction = entity.value;
      try {
        validateEmojiReaction(reaction, envelopeTimeMs);
        if (reaction.messageType !== 'PRIVATE_GROUP')
          throw new Error(`a ${reaction.messageType} reaction in a group update`);
        checkGroupChatEntity(state, { chatId: reaction.chatId, author, self: this.#context.identity.id });
      } catch (error) {
        this.#context.drop('a group reaction we must not show', error, envelopeHash);
        return;
      }
      this.#context.deliverReaction(
        toStatusReaction(reaction, author, reaction.chatId, 'group', this.#context.identity.id),
      );
      return;
    }
    const message = entity.value;
    try {
      validateReceivedChatMessage(message, { envelopeTimeMs, signed: wrapper.signed });
      if (message.messageType !== 'PRIVATE_GROUP') {
        throw new ClientError(
          ClientErrorCode.UnknownChat,
          `a ${message.messageType} message in a group update`,
        );
      }
      checkGroupChatEntity(state, { chatId: message.chatId, author, self: this.#context.identity.id });
    } catch (error) {
      this.#context.drop('a group chat message we must not show', error, envelopeHash);
      return;
    }
    const authorId = `0x${bytesToHex(author)}`;
    const delivered = this.#context.toStatusMessage(
      message,
      messageIdToHex(wrapper.id),
      authorId,
      authorId === this.#context.identity.id,
      'group',
    );
    this.#context.deliver(
      { ...delivered, envelopeHash, ...(protection ? { protection } : {}) },
      wrapper.bytes,
    );
  }

  async #change(chatId: string, event: (clock: number) => MembershipEvent): Promise<GroupChatInfo> {
    const group = this.#require(chatId);
    const clock = nextChatClock(group.state.lastClock, this.#context.clock.now());
    const signed = this.#sign(chatId, event(clock));
    return this.#apply(chatId, [...group.events, signed], [signed]);
  }

  /** Derives the new state, keeps it, and sends the log to every member (old and new, removed included). */
  async #apply(
    chatId: string,
    events: SignedMembershipEvent[],
    added: SignedMembershipEvent[],
  ): Promise<GroupChatInfo> {
    const previous = this.#groups.get(chatId)?.state;
    const state = deriveGroupState(chatId, events);
    const applied = new Set(state.events.map((event) => bytesToHex(event.bytes)));
    const refused = added.find((event) => !applied.has(bytesToHex(event.bytes)));
    if (refused) {
      throw new ClientError(
        ClientErrorCode.InvalidOptions,
        `the group rules refuse this change (${refused.type})`,
      );
    }
    this.#groups.set(chatId, { state, events: [...state.events] });
    this.#context.changed(
      state,
      state.events.map((e) => e.bytes),
    );
    const bytes = encodeMembershipUpdate({ chatId, events: state.events });
    const wrapped = wrapApplicationMessage({
      type: 'MEMBERSHIP_UPDATE_MESSAGE',
      payload: bytes,
      signer: this.#context.signer,
    });
    // A removed member still gets the update that removes it (it learns it left), never later ones.
    const recipients = new Set([...(previous?.members ?? []), ...state.members]);
    recipients.delete(this.#context.identity.id);
    await this.#context.sendPrivately(
      [...recipients].map((member) => oneToOneChatPeer(member)),
      wrapped.bytes,
      messageIdToHex(wrapped.id),
      { track: false },
    );
    return info(state);
  }

  #recipients(state: GroupState, who: 'joined' | 'members'): Uint8Array[] {
    const ids = who === 'joined' ? state.joined : state.members;
    return ids.filter((id) => id !== this.#context.identity.id).map((id) => oneToOneChatPeer(id));
  }

  #sign(chatId: string, event: MembershipEvent): SignedMembershipEvent {
    return signMembershipEvent(chatId, event, this.#context.identity.privateKey);
  }

  #require(chatId: string): { state: GroupState; events: SignedMembershipEvent[] } {
    const group = this.#groups.get(chatId);
    if (!group)
      throw new ClientError(
        ClientErrorCode.UnknownChat,
        `no group chat ${JSON.stringify(chatId.slice(0, 60))}`,
      );
    return group;
  }
}

function info(state: GroupState): GroupChatInfo {
  return {
    chatId: state.chatId,
    name: state.name,
    members: [...state.members],
    admins: [...state.admins],
    joined: [...state.joined],
  };
}
