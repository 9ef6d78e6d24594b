/**
 * The lifecycle every long-lived part of a node follows, so a composition (the client) starts its parts in
 * dependency order, stops them in reverse, and unwinds what already started when one fails. Parts whose
 * start or stop is synchronous return `void`; callers await either way.
 */
export interface Startable {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** A named part of a composition (the name appears in errors). */
export interface NamedStartable extends Startable {
  readonly name: string;
}

/** A running composition: stop it to stop every part, in reverse start order. */
export interface StartedParts {
  /** Names of the running parts, in start order. */
  readonly running: readonly string[];
  /** Stops every part in reverse order; every part is stopped even if one fails (errors are aggregated). */
  stop(): Promise<void>;
}

/**
 * Starts `parts` in order. If one fails (or `signal` aborts between starts), stops those already started,
 * in reverse, and rethrows the failure (with the failing part's name in `cause`'s context); errors while
 * unwinding are attached as an AggregateError in the thrown error's `unwindErrors` property.
 */
export async function startInOrder(
  parts: readonly NamedStartable[],
  options: { signal?: AbortSignal } = {},
): Promise<StartedParts> {
  const started: NamedStartable[] = [];
  try {
    for (const part of parts) {
      options.signal?.throwIfAborted();
      await part.start();
      started.push(part);
    }
  } catch (error) {
    const unwind = await stopInReverse(started);
    if (unwind.length > 0 && error !== null && typeof error === 'object') {
      Object.defineProperty(error, 'unwindErrors', {
        value: new AggregateError(unwind, 'errors while stopping the parts that had started'),
        enumerable: false,
        configurable: true,
      });
    }
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    running: started.map((part) => part.name),
    stop() {
      stopped ??= stopInReverse(started).then((errors) => {
        if (errors.length === 1) throw errors[0];
        if (errors.length > 1) throw new AggregateError(errors, 'several parts failed to stop');
      });
      return stopped;
    },
  };
}

async function stopInReverse(parts: readonly NamedStartable[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const part of [...parts].reverse()) {
    try {
      await part.stop();
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}

/** A part from two functions (for layers whose start or stop has another name, or none). */
export function startable(
  name: string,
  start: () => Promise<void> | void,
  stop: () => Promise<void> | void,
): NamedStartable {
  return { name, start, stop };
}
