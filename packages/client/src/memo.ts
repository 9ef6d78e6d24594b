/**
 * `fn` with its results kept for the last `limit` distinct keys: a history page repeats the same few
 * senders a thousand times, and their names, key forms and MVDS group ids cost elliptic-curve work each.
 */
export function memoize<V>(fn: (key: string) => V, limit = 1_000): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as V;
    const value = fn(key);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
}
