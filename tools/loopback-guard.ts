import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach } from 'vitest';

/**
 * vitest setupFile for every project: tests run on 127.0.0.1 only. A TCP connect or UDP send to any other
 * address (the eth.prod fleet a node defaults to, a forgotten public bootnode) is refused on the spot and
 * fails the test that made it, so no test ever reaches, or silently waits on, a real network.
 */

const attempts: string[] = [];

/** Loopback, unspecified (which the OS routes locally), or a local socket path. */
export function isLocalDestination(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const plain = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  return /^127\./.test(plain) || plain === '::1' || plain === '0.0.0.0' || plain === '::';
}

function refusal(destination: string): Error {
  return Object.assign(new Error(`tests dial only 127.0.0.1; refused ${destination}`), {
    code: 'ERR_TEST_NON_LOOPBACK',
  });
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect() hands the socket its normalized arguments as one array: [options, callback].
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const options =
    typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
  const path =
    options?.path ?? (typeof first === 'string' && Number.isNaN(Number(first)) ? first : undefined);
  const host = options
    ? (options.host as string | undefined)
    : typeof second === 'string'
      ? second
      : undefined;
  if (path === undefined && !isLocalDestination(host)) {
    const port = options ? options.port : first;
    const destination = `tcp ${host}:${String(port)}`;
    attempts.push(destination);
    process.nextTick(() => this.destroy(refusal(destination)));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
  // send(msg, [offset, length,] port, address, callback): the address is the string after the port.
  const portIndex = args.findIndex(
    (arg, index) => index > 0 && typeof arg === 'number' && typeof args[index + 1] === 'string',
  );
  const address = portIndex > 0 ? (args[portIndex + 1] as string) : undefined;
  if (address !== undefined && !isLocalDestination(address)) {
    const destination = `udp ${address}:${String(args[portIndex])}`;
    attempts.push(destination);
    const callback = args.find((arg): arg is (error: Error) => void => typeof arg === 'function');
    if (callback) process.nextTick(() => callback(refusal(destination)));
    return;
  }
  return (send as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.send;

/** Destinations refused since the last check, cleared (for the guard's own test). */
export function takeRefusedAttempts(): string[] {
  return attempts.splice(0);
}

afterEach(() => {
  if (attempts.length === 0) return;
  const refused = [...new Set(attempts.splice(0))];
  throw new Error(
    `this test tried to reach the network outside 127.0.0.1 (${refused.join(', ')}); ` +
      'a Status node discovers the eth.prod fleet unless given `discovery: false` or a local fleet',
  );
});
