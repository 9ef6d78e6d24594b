import { clientEntries } from './client.js';
import { cryptoEntries } from './crypto.js';
import { devp2pEntries } from './devp2p.js';
import { discv5Entries } from './discv5.js';
import { dnsEntries } from './dns-discovery.js';
import { coreEntries, enrEntries } from './enr.js';
import type { FuzzEntry } from './harness.js';
import { identityEntries } from './identity.js';
import { mailserverEntries } from './mailserver.js';
import { mvdsEntries } from './mvds.js';
import { payloadsEntries } from './payloads.js';
import { peerpoolEntries } from './peerpool.js';
import { rendezvousEntries } from './rendezvous.js';
import { secioEntries } from './secio.js';
import { secureTransportEntries } from './secure-transport.js';
import { wakuEntries } from './waku.js';

/** Every fuzzed decoder of the stack, by layer, bottom up. */
export const fuzzLayers: readonly (readonly [string, readonly FuzzEntry[]])[] = [
  ['core', coreEntries],
  ['crypto', cryptoEntries],
  ['enr', enrEntries],
  ['identity', identityEntries],
  ['devp2p', devp2pEntries],
  ['libp2p-secio', secioEntries],
  ['waku', wakuEntries],
  ['mailserver', mailserverEntries],
  ['discv5', discv5Entries],
  ['dns-discovery', dnsEntries],
  ['rendezvous', rendezvousEntries],
  ['peerpool', peerpoolEntries],
  ['mvds', mvdsEntries],
  ['secure-transport', secureTransportEntries],
  ['payloads', payloadsEntries],
  ['client', clientEntries],
];
