import { afterEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  enableLogging,
  isLogEnabled,
  type LogSink,
  loggerTo,
  setLogSink,
  TypedEmitter,
} from '../src/index.js';

describe('logger', () => {
  afterEach(() => enableLogging(''));

  it('is off by default and follows DEBUG-style patterns', () => {
    const lines: string[] = [];
    const sink: LogSink = (ns, level, message) => lines.push(`${level} ${ns} ${message}`);
    setLogSink(sink);
    const log = createLogger('status-ts:devp2p');
    log('quiet');
    expect(lines).toEqual([]);
    enableLogging('status-ts:*,-status-ts:waku*');
    log('hello');
    log.extend('rlpx').error('bad mac');
    createLogger('status-ts:waku').error('hidden');
    expect(lines).toEqual(['debug status-ts:devp2p hello', 'error status-ts:devp2p:rlpx bad mac']);
    expect(isLogEnabled('status-ts:waku:relay')).toBe(false);
    expect(log.enabled).toBe(true);
  });

  it('loggerTo writes to its own sink whatever DEBUG says, and extend keeps the sink and the filter', () => {
    const global: string[] = [];
    setLogSink((ns) => global.push(ns));
    const lines: string[] = [];
    const own: LogSink = (ns, level, message) => lines.push(`${level} ${ns} ${message}`);
    const log = loggerTo(own, 'alice', (ns) => !ns.endsWith(':quiet'));
    log('hello');
    log.extend('waku').error('bad packet');
    log.extend('quiet')('not this');
    expect(lines).toEqual(['debug alice hello', 'error alice:waku bad packet']);
    expect(log.extend('quiet').enabled).toBe(false);
    expect(log.namespace).toBe('alice');
    expect(global).toEqual([]);
  });
});

describe('TypedEmitter', () => {
  it('types events and delivers arguments', () => {
    const emitter = new TypedEmitter<{ ping: [id: number, text: string] }>();
    const got: Array<[number, string]> = [];
    emitter.on('ping', (id, text) => got.push([id, text]));
    emitter.emit('ping', 1, 'a');
    expect(got).toEqual([[1, 'a']]);
  });
});
