import type { Enr } from '@status-ts/enr';
import { capabilitiesOf, hasRole } from '@status-ts/enr';
import { RELAY_CAPABILITIES } from './constants.js';
import type { PeerCapability } from './dialer.js';

/**
 * What a topic asks of a peer. `acceptsRecord` runs before dialing (on the ENR, when the candidate has one;
 * `trusted` marks configured mailservers); `acceptsPeer` runs on the capabilities shared after Hello.
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
 * A mailserver: a relayer whose record advertises the `whispermail` role (ENR `status`), or a configured
 * (trusted) one. With `trustedOnly` (a configured list is given) only trusted mailservers pass (PP-06).
 */
export function mailserverRequirement(
  options: { capabilities?: readonly PeerCapability[]; trustedOnly?: boolean } = {},
): TopicRequirement {
  const relay = relayRequirement(options.capabilities);
  return {
    acceptsRecord(enr, trusted) {
      if (trusted) return relay.acceptsRecord(enr, trusted);
      if (options.trustedOnly || !enr) return false;
      return hasRole(enr, 'whispermail') && relay.acceptsRecord(enr, trusted);
    },
    acceptsPeer: relay.acceptsPeer,
  };
}
