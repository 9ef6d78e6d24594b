import type { Enr } from '@status-ts/enr';
import { capabilitiesOf, hasRole } from '@status-ts/enr';
import { RELAY_CAPABILITIES } from './constants.js';
import type { PeerCapability } from './dialer.js';

/**
 * What a topic asks of a peer. `acceptsRecord` runs before dialing (on the ENR, when the candidate has one;
 * `trusted` marks a configured mailserver, or, without a configured list, one from the pool's own cache);
 * `acceptsPeer` runs on the capabilities shared after Hello.
 */
export interface TopicRequirement {
  acceptsRecord(enr: Enr | undefined, trusted: boolean): boolean;
  acceptsPeer(capabilities: readonly PeerCapability[]): boolean;
}

function sharesOne(have: readonly PeerCapability[], wanted: readonly PeerCapability[]): boolean {
  return have.some((c) => wanted.some((w) => w.name === c.name && w.version === c.version));
}

/**
 * A relayer must speak one of `capabilities` (default waku/1, shh/6). A record that lists its RLPx
 * capabilities (ENR `caps`, see docs/discv5.md) without any of them is skipped without a dial; a record
 * without the entry is dialed and checked after Hello.
 */
export function relayRequirement(
  capabilities: readonly PeerCapability[] = RELAY_CAPABILITIES,
): TopicRequirement {
  return {
    acceptsRecord(enr) {
      if (!enr) return true;
      const advertised = capabilitiesOf(enr);
      return advertised.length === 0 || sharesOne(advertised, capabilities);
    },
    acceptsPeer: (shared) => sharesOne(shared, capabilities),
  };
}

/**
 * A mailserver: a trusted one (configured, or from the pool's cache), as status-go which dials only its fleet
 * list and the user's own and caches a found node only when its trusted-mailserver verifier accepts it. A
 * discovered record that merely advertises the `whispermail` role (ENR `status`) passes only with
 * `acceptDiscovered` (the pool's `useDiscoveredMailservers`): anyone can claim a role. With `trustedOnly`
 * (a configured list is given) only trusted mailservers pass, whatever `acceptDiscovered` says (PP-06).
 */
export function mailserverRequirement(
  options: {
    capabilities?: readonly PeerCapability[];
    trustedOnly?: boolean;
    acceptDiscovered?: boolean;
  } = {},
): TopicRequirement {
  const relay = relayRequirement(options.capabilities);
  return {
    acceptsRecord(enr, trusted) {
      if (trusted) return relay.acceptsRecord(enr, trusted);
      if (options.trustedOnly || !options.acceptDiscovered || !enr) return false;
      return hasRole(enr, 'whispermail') && relay.acceptsRecord(enr, trusted);
    },
    acceptsPeer: relay.acceptsPeer,
  };
}
