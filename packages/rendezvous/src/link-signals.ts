/**
 * A signal that aborts (with the same reason) when either given signal does, or the one given, or undefined.
 * `dispose` detaches from both, so listeners never pile up on a long-lived signal across requests.
 */
export function linkSignals(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): { signal: AbortSignal | undefined; dispose: () => void } {
  if (!a || !b) return { signal: a ?? b, dispose: () => {} };
  const controller = new AbortController();
  const first = a.aborted ? a : b.aborted ? b : undefined;
  if (first) {
    controller.abort(first.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  a.addEventListener('abort', onAbort, { once: true });
  b.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', onAbort);
      b.removeEventListener('abort', onAbort);
    },
  };
}
