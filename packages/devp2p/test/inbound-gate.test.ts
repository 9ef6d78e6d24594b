import { type Clock, ManualClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { InboundGate, inboundAddressKey, isLanAddress, resolveInboundLimits } from '../src/inbound-gate.js';
import {
  DEFAULT_INBOUND_THROTTLE_MS,
  DEFAULT_MAX_PENDING_PER_IP,
  Devp2pErrorCode,
  Server,
} from '../src/index.js';

const invalidOptions = expect.objectContaining({ code: Devp2pErrorCode.InvalidOptions });

describe('inbound limits options', () => {
  it('defaults: 3 pending handshakes per address, a 30 s throttle, LAN addresses exempt', () => {
    expect(DEFAULT_MAX_PENDING_PER_IP).toBe(3);
    expect(DEFAULT_INBOUND_THROTTLE_MS).toBe(30_000);
    expect(resolveInboundLimits()).toEqual({
      maxPendingPerIp: DEFAULT_MAX_PENDING_PER_IP,
      inboundThrottleMs: DEFAULT_INBOUND_THROTTLE_MS,
      perIpLimitsOnLan: false,
    });
    expect(
      resolveInboundLimits({ maxPendingPerIp: 1, inboundThrottleMs: 0, perIpLimitsOnLan: true }),
    ).toEqual({
      maxPendingPerIp: 1,
      inboundThrottleMs: 0,
      perIpLimitsOnLan: true,
    });
  });

  it('rejects bad values with ERR_P2P_INVALID_OPTIONS, in the Server constructor too', () => {
    for (const maxPendingPerIp of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveInboundLimits({ maxPendingPerIp })).toThrow(invalidOptions);
    }
    for (const inboundThrottleMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      expect(() => resolveInboundLimits({ inboundThrottleMs })).toThrow(invalidOptions);
    }
    expect(() => resolveInboundLimits({ perIpLimitsOnLan: 'yes' as unknown as boolean })).toThrow(
      invalidOptions,
    );
    const privateKey = generatePrivateKey();
    expect(() => new Server({ privateKey, maxPendingPerIp: 0 })).toThrow(invalidOptions);
    expect(() => new Server({ privateKey, inboundThrottleMs: -5 })).toThrow(invalidOptions);
  });
});

describe('source addresses', () => {
  it('isLanAddress: loopback, private and link-local, as go-ethereum AddrIsLAN', () => {
    for (const lan of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.3.4',
      '::1',
      'fd12:3456::1',
      'fc00::1',
      'fe80::1%eth0',
      '::ffff:10.1.1.1',
    ]) {
      expect(isLanAddress(lan), lan).toBe(true);
    }
    for (const wan of [
      '8.8.8.8',
      '172.32.0.1',
      '172.15.0.1',
      '192.169.0.1',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      'x',
    ]) {
      expect(isLanAddress(wan), wan).toBe(false);
    }
  });

  it('inboundAddressKey: IPv4 as is (also IPv4-mapped), IPv6 by /64, LAN exempt unless included', () => {
    expect(inboundAddressKey('1.2.3.4', false)).toBe('1.2.3.4');
    expect(inboundAddressKey('::ffff:1.2.3.4', false)).toBe('1.2.3.4');
    const a = inboundAddressKey('2001:db8:1:2:aaaa::1', false);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(inboundAddressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee', false)).toBe(a);
    expect(inboundAddressKey('2001:db8:1:3::1', false)).not.toBe(a);
    expect(inboundAddressKey('127.0.0.2', false)).toBeUndefined();
    expect(inboundAddressKey('127.0.0.2', true)).toBe('127.0.0.2');
    expect(inboundAddressKey('192.168.0.7', false)).toBeUndefined();
    expect(inboundAddressKey(undefined, true)).toBeUndefined();
  });
});

describe('InboundGate', () => {
  it('counts pending handshakes per address up to maxPendingPerIp', () => {
    const gate = new InboundGate(
      resolveInboundLimits({ maxPendingPerIp: 2, inboundThrottleMs: 0 }),
      new ManualClock(0),
    );
    gate.admit('1.1.1.1');
    expect(gate.check('1.1.1.1')).toBeUndefined();
    gate.admit('1.1.1.1');
    expect(gate.check('1.1.1.1')).toBe('pendingPerIp');
    expect(gate.check('2.2.2.2')).toBeUndefined();
    gate.release('1.1.1.1');
    expect(gate.check('1.1.1.1')).toBeUndefined();
  });

  it('throttles an address for inboundThrottleMs after an accepted connection; 0 turns it off', () => {
    const clock = new ManualClock(5_000);
    const gate = new InboundGate(resolveInboundLimits({ inboundThrottleMs: 1000 }), clock);
    expect(gate.check('1.1.1.1')).toBeUndefined();
    gate.admit('1.1.1.1');
    gate.release('1.1.1.1');
    clock.advance(500);
    gate.admit('2.2.2.2');
    expect(gate.check('1.1.1.1')).toBe('throttled');
    clock.advance(499);
    expect(gate.check('1.1.1.1')).toBe('throttled');
    clock.advance(1);
    expect(gate.check('1.1.1.1')).toBeUndefined();
    expect(gate.check('2.2.2.2')).toBe('throttled'); // its own window, 500 ms later
    clock.advance(500);
    expect(gate.check('2.2.2.2')).toBeUndefined();

    const open = new InboundGate(resolveInboundLimits({ inboundThrottleMs: 0 }), clock);
    open.admit('1.1.1.1');
    open.release('1.1.1.1');
    expect(open.check('1.1.1.1')).toBeUndefined();
  });
});

describe('inbound limits: error details and exact address rules', () => {
  it('names the option and the value in the error details', () => {
    expect(() => resolveInboundLimits({ maxPendingPerIp: 0 })).toThrow(
      expect.objectContaining({ details: { option: 'maxPendingPerIp', value: 0 } }),
    );
    expect(() => resolveInboundLimits({ inboundThrottleMs: null as unknown as number })).toThrow(
      expect.objectContaining({ details: { option: 'inboundThrottleMs', value: null } }),
    );
  });

  it('treats only ::ffff:a.b.c.d with a zero prefix as IPv4-mapped', () => {
    for (const notMapped of ['::ff:a00:1', '::ff00:a00:1', '2001::ffff:a00:1', '1::ffff:a00:1']) {
      expect(isLanAddress(notMapped), notMapped).toBe(false);
    }
    expect(inboundAddressKey('2001::ffff:a00:1', true)).toBe('2001:0:0:0::/64');
  });

  it('checks both bytes of each IPv4 and IPv6 LAN range', () => {
    for (const wan of [
      '8.20.0.1',
      '8.168.0.1',
      '8.254.0.1',
      '169.1.0.1',
      '::2',
      '::',
      '2080::1',
      'fe00::1',
    ]) {
      expect(isLanAddress(wan), wan).toBe(false);
    }
    expect(isLanAddress('fe80::1%eth0')).toBe(true);
    expect(isLanAddress('febf::1')).toBe(true);
  });

  it('keys an address it cannot parse by its text, LAN check skipped', () => {
    expect(inboundAddressKey('not-an-ip', false)).toBe('not-an-ip');
    expect(inboundAddressKey('not-an-ip', true)).toBe('not-an-ip');
  });
});

describe('InboundGate bookkeeping', () => {
  it('reports includeLan from the limits', () => {
    const clock = new ManualClock(0);
    expect(new InboundGate(resolveInboundLimits({ perIpLimitsOnLan: true }), clock).includeLan).toBe(true);
    expect(new InboundGate(resolveInboundLimits(), clock).includeLan).toBe(false);
  });

  it('release counts down one handshake and forgets the address at zero', () => {
    const gate = new InboundGate(
      resolveInboundLimits({ maxPendingPerIp: 1, inboundThrottleMs: 0 }),
      new ManualClock(0),
    );
    gate.admit('1.1.1.1');
    gate.admit('1.1.1.1');
    gate.release('1.1.1.1');
    expect(gate.check('1.1.1.1')).toBe('pendingPerIp');
    expect(gate.tracked.pending).toBe(1);
    gate.release('1.1.1.1');
    expect(gate.check('1.1.1.1')).toBeUndefined();
    expect(gate.tracked.pending).toBe(0);
    // A release without an admit (e.g. twice) must not leave a negative count that would allow extra handshakes.
    gate.release('2.2.2.2');
    expect(gate.tracked.pending).toBe(0);
    gate.admit('2.2.2.2');
    expect(gate.check('2.2.2.2')).toBe('pendingPerIp');
  });

  it('records no throttle window when the throttle is off', () => {
    const gate = new InboundGate(resolveInboundLimits({ inboundThrottleMs: 0 }), new ManualClock(0));
    gate.admit('1.1.1.1');
    expect(gate.tracked.throttled).toBe(0);
  });

  it('forgets a throttle window the moment it ends', () => {
    const clock = new ManualClock(0);
    const gate = new InboundGate(resolveInboundLimits({ inboundThrottleMs: 1000 }), clock);
    gate.admit('1.1.1.1');
    clock.advance(500);
    gate.admit('2.2.2.2');
    clock.advance(499);
    expect(gate.check('3.3.3.3')).toBeUndefined();
    expect(gate.tracked.throttled).toBe(2);
    clock.advance(1); // 1.1.1.1's window ends at exactly 1000
    expect(gate.check('3.3.3.3')).toBeUndefined();
    expect(gate.tracked.throttled).toBe(1);
    clock.advance(500);
    expect(gate.check('3.3.3.3')).toBeUndefined();
    expect(gate.tracked.throttled).toBe(0);
  });

  it('judges each window by its own end when the wall clock steps back', () => {
    let t = 100;
    const clock: Clock = { now: () => t, setTimeout: () => () => {}, setInterval: () => () => {} };
    const gate = new InboundGate(resolveInboundLimits({ inboundThrottleMs: 1000 }), clock);
    gate.admit('1.1.1.1'); // window ends at 1100
    t = 0;
    gate.admit('2.2.2.2'); // ends at 1000, stored after a later end: pruning stops before it
    t = 1000;
    expect(gate.check('2.2.2.2')).toBeUndefined();
    t = 999;
    expect(gate.check('2.2.2.2')).toBe('throttled');
    t = 1050;
    expect(gate.check('2.2.2.2')).toBeUndefined();
    expect(gate.check('1.1.1.1')).toBe('throttled');
  });
});
