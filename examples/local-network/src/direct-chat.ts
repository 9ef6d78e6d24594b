import type { StatusMessage } from '@status-ts/client';
import { nodeOf, type Story } from './story.js';
import { waitFor } from './wait.js';

export interface DirectChatOutcome {
  /** Alice's message to Bob, followed through every delivery state. */
  readonly first: StatusMessage;
  /** Bob's answer. */
  readonly reply: StatusMessage;
}

/**
 * Alice writes to Bob's chat key (a DH header on first contact, then the Double Ratchet, carried by MVDS);
 * each delivery state is printed as it is reached: `sending` (handed to MVDS), `sent` (in an envelope),
 * `confirmed` (the mailserver, a Waku peer with confirmations, took the envelope), `acknowledged` (Bob's
 * MVDS acked it). Bob answers, and his answer goes through the same states.
 */
export async function directChat(story: Story): Promise<DirectChatOutcome> {
  const { log, deliveries, timeoutMs } = story;
  const alice = nodeOf(story, 'alice');
  const bob = nodeOf(story, 'bob');
  const first = log.sentBy(
    'alice',
    await alice.sendDirectMessage(bob.identity.id, 'hi Bob, only you can read this'),
  );
  deliveries.follow(first.id, `alice's "${first.text}"`);
  await waitFor(
    () => log.has('bob', first.id) && alice.deliveryState(first.id) === 'acknowledged',
    'Bob reading Alice and his acknowledgement',
    timeoutMs,
  );
  const reply = log.sentBy(
    'bob',
    await bob.sendDirectMessage(alice.identity.id, 'hi Alice, loud and clear', { responseTo: first.id }),
  );
  deliveries.follow(reply.id, `bob's "${reply.text}"`);
  await waitFor(
    () => log.has('alice', reply.id) && bob.deliveryState(reply.id) === 'acknowledged',
    'Alice reading Bob and her acknowledgement',
    timeoutMs,
  );
  return { first, reply };
}
