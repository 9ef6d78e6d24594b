import { describe, expect, it } from 'vitest';
import { EndpointVotes, type UdpEndpoint } from '../src/index.js';

const E1: UdpEndpoint = { ip: '203.0.113.1', port: 30303 };
const E2: UdpEndpoint = { ip: '203.0.113.2', port: 30303 };

function votes(over: Partial<ConstructorParameters<typeof EndpointVotes>[0]> = {}): EndpointVotes {
  return new EndpointVotes({ required: 2, ttlMs: 60_000, maxVoters: 10, now: () => 0, ...over });
}

describe('EndpointVotes', () => {
  it('believes an endpoint once `required` voters report it', () => {
    const v = votes();
    expect(v.vote('a', E1)).toBeUndefined();
    expect(v.vote('b', E1)).toEqual(E1);
  });

  it('keeps exactly maxVoters voters, forgetting the oldest', () => {
    const v = votes({ maxVoters: 2 });
    v.vote('a', E1);
    expect(v.vote('b', E1)).toEqual(E1);
    expect(v.size).toBe(2);
    v.vote('c', E2);
    expect(v.size).toBe(2);
  });

  it('picks the endpoint with most votes whichever was reported first', () => {
    const first = votes();
    first.vote('a', E1);
    first.vote('b', E1);
    expect(first.vote('c', E2)).toEqual(E1);
    const later = votes();
    later.vote('a', E2);
    later.vote('b', E1);
    expect(later.vote('c', E1)).toEqual(E1);
  });

  it('believes nothing while two endpoints tie', () => {
    const v = votes();
    v.vote('a', E1);
    v.vote('b', E1);
    v.vote('c', E2);
    expect(v.vote('d', E2)).toBeUndefined();
    expect(v.vote('e', E1)).toEqual(E1);
  });

  it('believes nothing when every vote has already expired', () => {
    const v = votes({ required: 1, ttlMs: -1 });
    expect(v.vote('a', E1)).toBeUndefined();
    expect(v.size).toBe(0);
  });

  it('clear forgets all votes', () => {
    const v = votes();
    v.vote('a', E1);
    v.clear();
    expect(v.size).toBe(0);
    expect(v.vote('b', E1)).toBeUndefined();
  });
});
