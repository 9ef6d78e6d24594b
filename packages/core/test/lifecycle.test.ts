import { describe, expect, it } from 'vitest';
import { type NamedStartable, startable, startInOrder } from '../src/index.js';

function recorder() {
  const log: string[] = [];
  const part = (
    name: string,
    opts: { failStart?: boolean; failStop?: boolean; sync?: boolean } = {},
  ): NamedStartable =>
    startable(
      name,
      opts.sync
        ? () => {
            if (opts.failStart) throw new Error(`${name} start failed`);
            log.push(`start ${name}`);
          }
        : async () => {
            await Promise.resolve();
            if (opts.failStart) throw new Error(`${name} start failed`);
            log.push(`start ${name}`);
          },
      async () => {
        log.push(`stop ${name}`);
        if (opts.failStop) throw new Error(`${name} stop failed`);
      },
    );
  return { log, part };
}

describe('startInOrder', () => {
  it('starts in order (sync and async parts alike) and stops in reverse, once', async () => {
    const { log, part } = recorder();
    const running = await startInOrder([part('store'), part('transport', { sync: true }), part('chat')]);
    expect(running.running).toEqual(['store', 'transport', 'chat']);
    await Promise.all([running.stop(), running.stop()]);
    expect(log).toEqual([
      'start store',
      'start transport',
      'start chat',
      'stop chat',
      'stop transport',
      'stop store',
    ]);
  });

  it('a failed start unwinds what had started, in reverse, and rethrows the failure', async () => {
    const { log, part } = recorder();
    await expect(
      startInOrder([part('a'), part('b'), part('c', { failStart: true }), part('d')]),
    ).rejects.toThrow('c start failed');
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('errors while unwinding are attached to the start failure, and every part is still stopped', async () => {
    const { log, part } = recorder();
    const failure = await startInOrder([
      part('a', { failStop: true }),
      part('b'),
      part('c', { failStart: true }),
    ]).then(
      () => undefined,
      (error: Error & { unwindErrors?: AggregateError }) => error,
    );
    expect(failure?.message).toBe('c start failed');
    expect(failure?.unwindErrors?.errors.map((e: Error) => e.message)).toEqual(['a stop failed']);
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('stop reports a failing part after stopping all the others', async () => {
    const { log, part } = recorder();
    const running = await startInOrder([part('a'), part('b', { failStop: true }), part('c')]);
    await expect(running.stop()).rejects.toThrow('b stop failed');
    expect(log.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
    const two = await startInOrder([part('x', { failStop: true }), part('y', { failStop: true })]);
    await expect(two.stop()).rejects.toBeInstanceOf(AggregateError);
  });

  it('an aborted signal stops starting and unwinds with the signal reason', async () => {
    const { log, part } = recorder();
    const controller = new AbortController();
    const parts = [
      part('a'),
      startable(
        'abort',
        () => controller.abort(),
        () => undefined,
      ),
      part('c'),
    ];
    await expect(startInOrder(parts, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(log).toEqual(['start a', 'stop a']);
  });
});
