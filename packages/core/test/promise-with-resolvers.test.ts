import '../src/polyfills/promise-with-resolvers.js';
import { describe, expect, it } from 'vitest';

type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason?: unknown) => void;
};

describe('Promise.withResolvers polyfill', () => {
  const PromiseStatics = Promise as unknown as { withResolvers: WithResolvers };

  it('hands out a promise with its resolve function', async () => {
    const { promise, resolve } = PromiseStatics.withResolvers<number>();
    resolve(7);
    await expect(promise).resolves.toBe(7);
  });

  it('hands out a promise with its reject function', async () => {
    const { promise, reject } = PromiseStatics.withResolvers<number>();
    reject(new Error('no'));
    await expect(promise).rejects.toThrow('no');
  });
});
