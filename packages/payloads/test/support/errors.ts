import { expect } from 'vitest';
import { PayloadError } from '../../src/index.js';

/** The PayloadError code `run` throws, or undefined when it returns; any other throw fails the test. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return (error as PayloadError).code;
  }
  return undefined;
}
