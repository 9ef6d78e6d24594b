import { describe, expect, it } from 'vitest';
import { parseNamespace, RendezvousError } from '../src/index.js';

function rejection(bytes: Uint8Array): { code: string; details: unknown } {
  try {
    parseNamespace(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(RendezvousError);
    const { code, details } = err as RendezvousError;
    return { code, details };
  }
  throw new Error('accepted');
}

describe('parseNamespace', () => {
  it('reports the byte length of each rejected namespace', () => {
    const code = 'ERR_RENDEZVOUS_INVALID_NAMESPACE';
    expect(rejection(new Uint8Array(0))).toEqual({ code, details: { length: 0 } });
    expect(rejection(new Uint8Array(51).fill(0x61))).toEqual({ code, details: { length: 51 } });
    expect(rejection(new Uint8Array([0x61, 0xff]))).toEqual({ code, details: { length: 2 } });
    expect(rejection(new Uint8Array([0xc3]))).toEqual({ code, details: { length: 1 } });
  });

  it('decodes multi-byte UTF-8', () => {
    expect(parseNamespace(new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe('café');
  });
});
