import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PeerSource, StatusTopic } from '@status-ts/enr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerPool, serverDialer } from '../src/index.js';
import { openPeerPoolSqliteStore } from '../src/sqlite/index.js';
import {
  discv5Pool,
  type LoopbackNetwork,
  type LoopbackNode,
  reached,
  startLoopbackNetwork,
  startLoopbackNode,
} from './network.js';

const MOBILE_TOPICS = { whisper: { min: 3, max: 3 }, whispermail: { min: 1, max: 1 } };
const WANT = { whisper: 3, whispermail: 1 };

describe('PeerPool over real sockets (discv5 UDP + devp2p TCP on 127.0.0.1, Waku nodes)', () => {
  let network: LoopbackNetwork;
  const dir = mkdtempSync(join(tmpdir(), 'peerpool-e2e-'));
  const cachePath = join(dir, 'peers.db');

  beforeAll(async () => {
    network = await startLoopbackNetwork({ relayers: 5, mailservers: 2, waku: true });
  });
  afterAll(async () => {
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a fresh mobile node reaches 3 whisper peers and 1 whispermail peer through discv5', async () => {
    const mobile = await startLoopbackNode({ bootstrap: network.bootstrap, waku: true, light: true });
    const cache = openPeerPoolSqliteStore(cachePath);
    const pool = discv5Pool(mobile, MOBILE_TOPICS, cache);
    try {
      const started = Date.now();
      await pool.start();
      await reached(pool, WANT);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(20_000);
      const mail = pool.peers(StatusTopic.Mailserver);
      expect(mail).toHaveLength(1);
      const mailIds = new Set(network.nodes.slice(5).map((n) => Buffer.from(n.server.id).toString('hex')));
      expect(mailIds.has(mail[0]!.id)).toBe(true);
      expect(pool.peers(StatusTopic.Relayer)).toHaveLength(3);
      // 4 connections, or 3 when a mailserver found as a relayer also serves as the mailserver.
      expect(mobile.server.peers).toHaveLength(pool.peers().length);
      expect(pool.peers().length).toBeGreaterThanOrEqual(3);
      expect(pool.mailserver?.id).toBe(mail[0]!.id);
      expect(pool.summary().sources.discv5?.whisper).toBeGreaterThanOrEqual(3);
      // The waku layer on both ends sees the connections.
      expect(mail[0]!.capabilities).toEqual([{ name: 'waku', version: 1 }]);
      expect((await cache.list('whisper')).length).toBe(3);
      expect((await cache.list('whispermail')).length).toBe(1);
    } finally {
      await pool.stop();
      await cache.close();
      await mobile.stop();
    }
  });

  it('a warm start from the cache connects without discovery', async () => {
    const mobile: LoopbackNode = await startLoopbackNode({ waku: true, light: true, discovery: false });
    let finds = 0;
    const counting: PeerSource = {
      name: 'discv5',
      find(topic, signal) {
        finds++;
        return mobile.discv5.source().find(topic, signal);
      },
    };
    const cache = openPeerPoolSqliteStore(cachePath);
    const pool = new PeerPool({
      dialer: serverDialer(mobile.server),
      sources: [counting],
      topics: MOBILE_TOPICS,
      cache,
      selfId: mobile.server.id,
    });
    const sources: string[] = [];
    pool.on('peer:added', (e) => sources.push(e.source));
    try {
      await pool.start();
      await reached(pool, WANT);
      expect(sources).toEqual(['cache', 'cache', 'cache', 'cache']);
      expect(finds).toBe(0);
      expect(mobile.server.peers).toHaveLength(pool.peers().length);
    } finally {
      await pool.stop();
      await cache.close();
      await mobile.stop();
    }
  });
});
