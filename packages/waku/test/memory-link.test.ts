import { afterEach, describe, expect, it } from 'vitest';
import { linkInMemory, WakuNode } from '../src/index.js';

// Timers that keep the process running (unref'd ones are not listed).
function refTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

const started: WakuNode[] = [];
async function startNodes(): Promise<[WakuNode, WakuNode]> {
  const a = new WakuNode();
  const b = new WakuNode();
  started.push(a, b);
  await Promise.all([a.start(), b.start()]);
  return [a, b];
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((node) => node.stop()));
});

describe('linkInMemory keeps the process running while the link is open, as a socket would', () => {
  it('holds it from the link until a node stops', async () => {
    const [a, b] = await startNodes();
    const before = refTimers();
    await linkInMemory(a, b);
    expect(refTimers()).toBe(before + 1);
    await b.stop();
    expect(refTimers()).toBe(before);
  });

  it('releases it on link.close()', async () => {
    const [a, b] = await startNodes();
    const before = refTimers();
    const link = await linkInMemory(a, b);
    link.close();
    expect(refTimers()).toBe(before);
  });

  it('releases it when a handshake cannot complete', async () => {
    const [a, b] = await startNodes();
    await b.stop();
    const before = refTimers();
    await expect(linkInMemory(a, b)).rejects.toMatchObject({ code: 'ERR_WAKU_HANDSHAKE' });
    expect(refTimers()).toBe(before);
  });

  it('holds one per link, each released on its own', async () => {
    const [a, b] = await startNodes();
    const c = new WakuNode();
    started.push(c);
    await c.start();
    const before = refTimers();
    const ab = await linkInMemory(a, b);
    await linkInMemory(a, c);
    expect(refTimers()).toBe(before + 2);
    ab.close();
    expect(refTimers()).toBe(before + 1);
    await c.stop();
    expect(refTimers()).toBe(before);
  });
});
