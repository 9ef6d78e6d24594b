import type { StatusMessage, StatusNode } from '@status-ts/client';
import type { Received } from './chat-log.js';
import { nodeOf, type Story } from './story.js';
import { sleep, waitFor } from './wait.js';

export const GROUP_NAME = 'three of us';

/** How long Carol is watched after Alice's last message: a copy meant for her would arrive well within it. */
const AFTER_REMOVAL_MS = 1_500;

export interface GroupChatOutcome {
  readonly chatId: string;
  /** Alice's message while all three were members. */
  readonly hello: StatusMessage;
  /** Alice's message after she removed Carol. */
  readonly afterRemoval: StatusMessage;
  /** The members once Carol was removed, as Alice, Bob and Carol each see them. */
  readonly membersAfterRemoval: Record<'alice' | 'bob' | 'carol', readonly string[]>;
  /** What Carol received in the group after her removal: nothing, as status-go does. */
  readonly carolAfterRemoval: readonly Received[];
}

/**
 * A private group: Alice creates it with Bob and Carol, they join, Alice writes; then she removes Carol and
 * writes again. Every change and message goes privately to each member as the whole signed event log
 * (status-go's MembershipUpdateMessage); chat messages go only to members who joined, so Carol, removed,
 * gets the update that removes her and nothing after it.
 */
export async function groupChat(story: Story): Promise<GroupChatOutcome> {
  const { log, say, timeoutMs } = story;
  const alice = nodeOf(story, 'alice');
  const bob = nodeOf(story, 'bob');
  const carol = nodeOf(story, 'carol');
  const group = await alice.createGroupChat(GROUP_NAME, [bob.identity.id, carol.identity.id]);
  const chatId = group.chatId;
  const members = (node: StatusNode) => node.groupChats().find((g) => g.chatId === chatId)?.members ?? [];
  log.nameChat(chatId, GROUP_NAME);
  say(`alice  created group "${GROUP_NAME}" with bob and carol (chat id ${chatId.slice(0, 13)}…)`);
  await waitFor(
    () => members(bob).length === 3 && members(carol).length === 3,
    'the invitations reaching Bob and Carol',
    timeoutMs,
  );
  await Promise.all([bob.joinGroupChat(chatId), carol.joinGroupChat(chatId)]);
  await waitFor(
    () => alice.groupChats().find((g) => g.chatId === chatId)?.joined.length === 3,
    'Alice seeing Bob and Carol join',
    timeoutMs,
  );
  say('bob, carol joined; alice sees all three joined');
  const hello = log.sentBy('alice', await alice.sendGroupMessage(chatId, 'hello, all three of us'));
  await waitFor(
    () => log.has('bob', hello.id) && log.has('carol', hello.id),
    'Bob and Carol reading',
    timeoutMs,
  );

  await alice.removeGroupMember(chatId, carol.identity.id);
  const removedAt = story.now();
  await waitFor(
    () => members(bob).length === 2 && members(carol).length === 2,
    'Bob and Carol learning that Carol was removed',
    timeoutMs,
  );
  say('alice  removed carol; bob and carol both received the update (members: alice, bob)');
  const afterRemoval = log.sentBy('alice', await alice.sendGroupMessage(chatId, 'just Bob and me now'));
  await waitFor(() => log.has('bob', afterRemoval.id), 'Bob reading after the removal', timeoutMs);
  await sleep(AFTER_REMOVAL_MS);
  const carolAfterRemoval = log.inbox('carol').filter((r) => r.chatId === chatId && r.ms >= removedAt);
  say(
    carolAfterRemoval.length === 0
      ? `carol  received nothing in the group after her removal (watched ${AFTER_REMOVAL_MS} ms more)`
      : `carol  received ${carolAfterRemoval.length} group message(s) after her removal`,
  );
  return {
    chatId,
    hello,
    afterRemoval,
    membersAfterRemoval: { alice: members(alice), bob: members(bob), carol: members(carol) },
    carolAfterRemoval,
  };
}
