/** What `fn` throws, typed loosely for assertions on `code`, `details` and `cause`; fails when nothing is thrown. */
export interface Thrown {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
  cause?: { code?: string; message?: string };
}

export function thrown(fn: () => unknown): Thrown {
  try {
    fn();
  } catch (err) {
    return err as Thrown;
  }
  throw new Error('expected an error');
}

/**
 * The message of the innermost cause of what `fn` throws. RLP accessors start it with the label the decoder
 * passed (`<label> must be ...`), so a test can check that the bad field is named.
 */
export function rootMessage(fn: () => unknown): string {
  let err: unknown = thrown(fn);
  while (err instanceof Error && err.cause instanceof Error) err = err.cause;
  return (err as Error).message;
}
