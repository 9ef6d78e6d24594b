import type { StatusNode } from '@status-ts/client';
import { bytesToHex } from '@status-ts/core';
import type { Cast } from './cast.js';
import type { ChatLog } from './chat-log.js';
import type { DeliveryLog } from './delivery-log.js';
import type { Person, Phone } from './people.js';
import { waitFor } from './wait.js';

/** What each part of the story works with. */
export interface Story {
  readonly cast: Cast;
  readonly log: ChatLog;
  readonly deliveries: DeliveryLog;
  /** The phones now in use (Bob's is replaced when he comes back). */
  readonly phones: Record<Person, Phone>;
  readonly say: (line: string) => void;
  readonly timeoutMs: number;
  /** Milliseconds since the demo started. */
  now(): number;
}

export function nodeOf(story: Story, person: Person): StatusNode {
  return story.phones[person].node;
}

/**
 * Waits until every peer of each person's node has heard that node's topic interest include `topic`: a
 * light node's relayers forward it only envelopes on topics it asked for, so a message posted before its
 * interest arrived would pass it by.
 */
export async function waitForInterest(story: Story, people: readonly Person[], topic: Uint8Array) {
  const topicHex = bytesToHex(topic);
  // Each (person, peer) whose peer does not yet know the person's interest in the topic.
  const unaware = () =>
    people.flatMap((person) => {
      const node = nodeOf(story, person);
      const self = bytesToHex(node.server.id);
      return node.waku.peers
        .filter((peer) => {
          const member = story.cast.members.find((m) => m.nodeId === peer.idHex);
          const interest = member?.waku.peers.find((p) => p.idHex === self)?.interest;
          return interest === undefined || (interest.kind === 'topics' && !interest.topics.has(topicHex));
        })
        .map((peer) => `${person} → ${story.cast.nodeLabel(peer.idHex)}`);
    });
  try {
    await waitFor(
      () => unaware().length === 0,
      'the relayers learning the new topic interest',
      story.timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${unaware().join(', ')}`);
  }
}
