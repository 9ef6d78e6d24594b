import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { packNodes } from '../src/index.js';

const requestId = new Uint8Array([1]);
const record = (i: number) => Enr.create({ privateKey: generatePrivateKey(), ip: `10.0.0.${i}`, udp: 9000 });

describe('packNodes', () => {
  it('keeps a record exactly the size of the budget', () => {
    const enr = record(1);
    const size = enr.encode().length;
    const [only, ...rest] = packNodes(requestId, [enr], size);
    expect(rest).toEqual([]);
    expect(only!.records).toEqual([enr.encode()]);
    expect(only!.total).toBe(1);
  });

  it('drops a record larger than the budget and still answers once', () => {
    const enr = record(1);
    const messages = packNodes(requestId, [enr], enr.encode().length - 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.records).toEqual([]);
    expect(messages[0]!.total).toBe(1);
  });

  it('splits records over messages without an empty trailing one', () => {
    const a = record(1);
    const b = record(2);
    const size = Math.max(a.encode().length, b.encode().length);
    const messages = packNodes(requestId, [a, b], size);
    expect(messages.map((m) => m.records)).toEqual([[a.encode()], [b.encode()]]);
    expect(messages.every((m) => m.total === 2)).toBe(true);
  });
});
