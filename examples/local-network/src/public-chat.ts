import type { StatusMessage } from '@status-ts/client';
import { publicChatId } from '@status-ts/payloads';
import { publicChat } from '@status-ts/waku';
import { PEOPLE } from './people.js';
import { nodeOf, type Story, waitForInterest } from './story.js';
import { waitFor } from './wait.js';
import type { WhisperSide } from './whisper.js';

export const PUBLIC_CHAT = 'status-ts';

export interface PublicChatOutcome {
  /** Alice's message, read by Bob, Carol and the Whisper-only node. */
  readonly hello: StatusMessage;
  /** Bob's answer to it, read by Alice and Carol. */
  readonly reply: StatusMessage;
}

/** Everyone joins #status-ts; Alice posts, Bob answers. */
export async function publicChatBothWays(story: Story, whisper: WhisperSide): Promise<PublicChatOutcome> {
  const { log, timeoutMs } = story;
  for (const person of PEOPLE) nodeOf(story, person).joinPublicChat(PUBLIC_CHAT);
  await waitForInterest(story, PEOPLE, publicChat(publicChatId(PUBLIC_CHAT)).topic);

  const alice = nodeOf(story, 'alice');
  const hello = log.sentBy(
    'alice',
    (await alice.sendPublicMessage(PUBLIC_CHAT, 'hello #status-ts, Alice here')).message,
  );
  await waitFor(
    () =>
      log.has('bob', hello.id) && log.has('carol', hello.id) && whisper.read.some((r) => r.id === hello.id),
    'Bob, Carol and the Whisper node reading Alice',
    timeoutMs,
  );
  const bob = nodeOf(story, 'bob');
  const reply = log.sentBy(
    'bob',
    (await bob.sendPublicMessage(PUBLIC_CHAT, 'hi Alice, Bob here', { responseTo: hello.id })).message,
  );
  await waitFor(
    () =>
      log.has('alice', reply.id) && log.has('carol', reply.id) && whisper.read.some((r) => r.id === reply.id),
    'Alice, Carol and the Whisper node reading Bob',
    timeoutMs,
  );
  return { hello, reply };
}
