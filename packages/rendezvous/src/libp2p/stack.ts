import { importOptional } from '@status-ts/core';

/** How a missing package's error names what needed it. */
const FEATURE = 'the libp2p transport (@status-ts/rendezvous/libp2p)';

/**
 * The libp2p stack: optional peer dependencies of this package, what `@status-ts/rendezvous/libp2p` needs at
 * run time. Each is imported on first use (below), so the subpath loads without them and a call that needs
 * one rejects with `MissingDependencyError` (ERR_MISSING_DEPENDENCY) naming the package to install.
 */
export const LIBP2P_STACK = [
  'libp2p',
  '@libp2p/tcp',
  '@chainsafe/libp2p-noise',
  '@chainsafe/libp2p-yamux',
  '@libp2p/mplex',
  '@libp2p/peer-id',
  '@libp2p/crypto',
  '@multiformats/multiaddr',
  '@status-ts/libp2p-secio',
] as const;

// One loader per package, each with its literal import() so bundlers and type checkers still see it.
export const loadLibp2p = () => importOptional('libp2p', FEATURE, () => import('libp2p'));
export const loadTcp = () => importOptional('@libp2p/tcp', FEATURE, () => import('@libp2p/tcp'));
export const loadNoise = () =>
  importOptional('@chainsafe/libp2p-noise', FEATURE, () => import('@chainsafe/libp2p-noise'));
export const loadYamux = () =>
  importOptional('@chainsafe/libp2p-yamux', FEATURE, () => import('@chainsafe/libp2p-yamux'));
export const loadMplex = () => importOptional('@libp2p/mplex', FEATURE, () => import('@libp2p/mplex'));
export const loadPeerId = () => importOptional('@libp2p/peer-id', FEATURE, () => import('@libp2p/peer-id'));
export const loadKeys = () => importOptional('@libp2p/crypto', FEATURE, () => import('@libp2p/crypto/keys'));
export const loadMultiaddr = () =>
  importOptional('@multiformats/multiaddr', FEATURE, () => import('@multiformats/multiaddr'));
export const loadSecio = () =>
  importOptional('@status-ts/libp2p-secio', FEATURE, () => import('@status-ts/libp2p-secio'));
