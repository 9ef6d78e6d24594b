import type { Fleet, StatusNode } from '@status-ts/client';
import { openNodeSqlite } from '@status-ts/client/sqlite';
import type { Cast } from './cast.js';
import { castNode, QUICK_SEARCH } from './network.js';

export const PEOPLE = ['alice', 'bob', 'carol'] as const;
export type Person = (typeof PEOPLE)[number];

/** A person's phone: a mobile node, and what to close after stopping it. */
export interface Phone {
  readonly node: StatusNode;
  /** Stops the node, then closes the stores it was given (a node never closes those). */
  close(): Promise<void>;
}

/**
 * A phone that keeps its data in one SQLite file: messages, secure-transport sessions (encrypted at rest),
 * MVDS state and the peer cache. Started again from the same file, with the same installation id, it
 * resumes its ratchet sessions and MVDS, does not show a stored message twice, fetches history from where
 * it stopped, and dials the peers of its last run first.
 */
export interface PhoneData {
  readonly file: string;
  readonly installationId: string;
  readonly atRestKey: Uint8Array;
}

/**
 * A mobile node for `person` (a Waku light node: 2–3 relayers and a mailserver found through the fleet),
 * added to the cast as `label`. Its account is the BIP39 `mnemonic`; `data` keeps it in SQLite.
 */
export function createPhone(
  cast: Cast,
  person: Person,
  label: string,
  options: { mnemonic: string; fleet: Fleet; data?: PhoneData },
): Phone {
  const { data } = options;
  if (!data) {
    const node = castNode(cast, label, 'mobile', {
      identity: { mnemonic: options.mnemonic },
      discovery: { fleet: options.fleet, timing: QUICK_SEARCH },
    });
    cast.addAuthor(node.identity.id, person);
    return { node, close: once(() => node.stop()) };
  }
  // One SQLite file for everything Bob keeps: messages, sessions, MVDS state and his peer cache.
  const sqlite = openNodeSqlite(data.file, { encryptionKey: data.atRestKey });
  const node = castNode(cast, label, 'mobile', {
    identity: { mnemonic: options.mnemonic },
    installationId: data.installationId,
    ...sqlite.nodeOptions,
    discovery: { fleet: options.fleet, timing: QUICK_SEARCH, cache: sqlite.peerCache },
  });
  cast.addAuthor(node.identity.id, person);
  return {
    node,
    close: once(async () => {
      await node.stop();
      await sqlite.close();
    }),
  };
}

/** `close` may be called again when a failed demo cleans up: the stores close once. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
