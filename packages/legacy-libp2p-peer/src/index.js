// Test-only: an old js-libp2p 0.29 node (CommonJS, secio + tcp + mplex), used as an independent secio
// implementation for interop tests. Nothing outside tests may depend on this package.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
redirectMissingUint8arrays();
const Libp2p = require('libp2p');
const TCP = require('libp2p-tcp');
const MPLEX = require('libp2p-mplex');
const SECIO = require('libp2p-secio');
const PeerId = require('peer-id');
const cryptoKeys = require('libp2p-crypto').keys;
const multiaddr = require('multiaddr');

/**
 * libp2p 0.29.4 requires `uint8arrays` but lists it only in devDependencies, so under pnpm it would load
 * whatever version happens to be hoisted (5.x, ESM, wrong API). Point its requests at this package's own
 * uint8arrays 1.1.0, the version it was built against; nothing outside that one package is affected.
 */
function redirectMissingUint8arrays() {
  const Module = require('node:module');
  const ownDir = require.resolve('uint8arrays/package.json').slice(0, -'/package.json'.length);
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    const fromOldLibp2p = parent?.filename?.includes('/libp2p@0.29.4') === true;
    if (fromOldLibp2p && (request === 'uint8arrays' || request.startsWith('uint8arrays/'))) {
      return resolve.call(this, ownDir + request.slice('uint8arrays'.length), parent, ...rest);
    }
    return resolve.call(this, request, parent, ...rest);
  };
}

export const REND_PROTOCOL = '/rend/0.1.0';

/** What the legacy node answers on /rend/0.1.0: every byte it receives, inverted (chunking-independent). */
export function invertBytes(bytes) {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ 0xff;
  return out;
}

async function createPeerId(options) {
  if (options.privateKeyProtobuf) return PeerId.createFromPrivKey(options.privateKeyProtobuf);
  const key = await cryptoKeys.generateKeyPair(options.keyType ?? 'secp256k1', 2048);
  return PeerId.createFromPrivKey(cryptoKeys.marshalPrivateKey(key));
}

function toBytes(chunk) {
  const bytes = typeof chunk.slice === 'function' ? chunk.slice() : chunk;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export async function startLegacyPeer(options = {}) {
  const peerId = await createPeerId(options);
  const node = await Libp2p.create({
    peerId,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    modules: { transport: [TCP], streamMuxer: [MPLEX], connEncryption: [SECIO] },
    config: { peerDiscovery: { autoDial: false }, relay: { enabled: false } },
  });
  let served = 0;
  await node.handle(REND_PROTOCOL, ({ stream }) => {
    served++;
    stream
      .sink(
        (async function* () {
          for await (const chunk of stream.source) yield invertBytes(toBytes(chunk));
        })(),
      )
      .catch(() => undefined);
  });
  await node.start();
  const id = peerId.toB58String();
  const listen = node.multiaddrs.find((ma) => ma.toString().startsWith('/ip4/127.0.0.1/tcp/'));
  return {
    peerId: id,
    multiaddr: `${listen.toString()}/p2p/${id}`,
    get served() {
      return served;
    },
    async dialRend(address, payload) {
      const { stream } = await node.dialProtocol(multiaddr(address), REND_PROTOCOL);
      const sent = stream.sink(
        (async function* () {
          yield payload;
        })(),
      );
      const parts = [];
      for await (const chunk of stream.source) parts.push(toBytes(chunk));
      await sent;
      const total = parts.reduce((n, p) => n + p.length, 0);
      const out = new Uint8Array(total);
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      return out;
    },
    async hangUpAll() {
      for (const connection of node.connectionManager.connections.values()) {
        for (const c of connection) await c.close();
      }
    },
    stop: () => node.stop(),
  };
}

/** libp2p-crypto 0.18's secio key stretcher, as an independent reference for tests. */
export function legacyKeyStretcher(cipherType, hashType, secret) {
  return cryptoKeys.keyStretcher(cipherType, hashType, secret);
}
