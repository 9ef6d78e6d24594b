import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../src/envelope/envelope.js';
import type { Interest } from '../src/node/interest.js';
import { OwnRequirements } from '../src/node/requirements.js';

const ALLOWANCE = 1000;
const topics = (...hex: string[]): Interest => ({ kind: 'topics', topics: new Set(hex) });
/** A stand-in envelope: topic interest reads only `topicHex`. */
const envelope = (topicHex: string) => ({ topicHex }) as unknown as Envelope;

describe('OwnRequirements PoW', () => {
  it('accepts exactly the minimum PoW and above, not below', () => {
    const r = new OwnRequirements(new ManualClock(0), ALLOWANCE, 2, topics());
    expect(r.powAccepted(2)).toBe(true);
    expect(r.powAccepted(2.5)).toBe(true);
    expect(r.powAccepted(1.99)).toBe(false);
  });

  it('tolerates the previous lower minimum for the sync allowance, then only the new one', () => {
    const clock = new ManualClock(0);
    const r = new OwnRequirements(clock, ALLOWANCE, 1, topics());
    r.setMinPow(5);
    expect(r.minPow).toBe(5);
    expect(r.powAccepted(1)).toBe(true);
    clock.advance(ALLOWANCE);
    expect(r.powAccepted(1)).toBe(false);
    expect(r.powAccepted(5)).toBe(true);
  });

  it("a superseded change's timer does not raise the tolerance above the current minimum", () => {
    const clock = new ManualClock(0);
    const r = new OwnRequirements(clock, ALLOWANCE, 1, topics());
    r.setMinPow(5);
    clock.advance(ALLOWANCE / 2);
    r.setMinPow(2);
    clock.advance(ALLOWANCE / 2);
    // The first timer fired with minPow 2 in force: PoW 2 must still pass.
    expect(r.powAccepted(2)).toBe(true);
    expect(r.powAccepted(1.5)).toBe(false);
  });
});

describe('OwnRequirements interest', () => {
  it('reports an unchanged interest as no change and keeps no tolerance for it', () => {
    const clock = new ManualClock(0);
    const r = new OwnRequirements(clock, ALLOWANCE, 0, topics('aa'));
    expect(r.setInterest(topics('aa'))).toBe(false);
    expect(r.interestAccepts(envelope('aa'))).toBe(true);
    expect(r.setInterest(topics('bb'))).toBe(true);
    expect(r.interest).toEqual(topics('bb'));
  });

  it('tolerates the previous interest for the allowance, then drops it', () => {
    const clock = new ManualClock(0);
    const r = new OwnRequirements(clock, ALLOWANCE, 0, topics('aa'));
    r.setInterest(topics('bb'));
    expect(r.interestAccepts(envelope('aa'))).toBe(true);
    expect(r.interestAccepts(envelope('bb'))).toBe(true);
    expect(r.interestAccepts(envelope('cc'))).toBe(false);
    clock.advance(ALLOWANCE);
    expect(r.interestAccepts(envelope('aa'))).toBe(false);
    expect(r.interestAccepts(envelope('bb'))).toBe(true);
  });

  it("a superseded change's timer leaves the newer tolerance in place", () => {
    const clock = new ManualClock(0);
    const r = new OwnRequirements(clock, ALLOWANCE, 0, topics('aa'));
    r.setInterest(topics('bb'));
    clock.advance(ALLOWANCE / 2);
    r.setInterest(topics('cc'));
    clock.advance(ALLOWANCE / 2);
    // The first change's timer fired; 'bb' (the interest just replaced) is still tolerated.
    expect(r.interestAccepts(envelope('bb'))).toBe(true);
    expect(r.interestAccepts(envelope('aa'))).toBe(false);
    clock.advance(ALLOWANCE / 2);
    expect(r.interestAccepts(envelope('bb'))).toBe(false);
  });
});
