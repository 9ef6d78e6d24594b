import { WAKU_DEFAULT_PEER_POW } from '../constants.js';
import { WakuCode, WhisperCode, type WireProtocolName } from '../wire/codes.js';
import { NO_RATE_LIMITS, type RateLimits } from '../wire/rate-limits.js';
import { decodeStatusOptions, encodeStatusOptions, type StatusOptions } from '../wire/status-options.js';
import {
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  encodeWhisperBloom,
  encodeWhisperPow,
  encodeWhisperStatus,
} from '../wire/whisper-status.js';
import {
  FULL_INTEREST,
  type Interest,
  interestFromBloom,
  interestFromTopics,
  interestToBloom,
  interestTopics,
} from './interest.js';

/** What we tell peers about ourselves. */
export interface LocalStatus {
  minPow: number;
  interest: Interest;
  lightNode: boolean;
  confirmationsEnabled: boolean;
  packetLimits: RateLimits;
  bytesLimits: RateLimits;
}

/** What a peer told us; a Status gives every field (defaults filled in), an update only what changed. */
export interface RemoteSettings {
  pow: number;
  interest: Interest;
  lightNode: boolean;
  confirmationsEnabled: boolean;
  packetLimits: RateLimits;
  bytesLimits: RateLimits;
}

export type RemoteUpdate = Partial<RemoteSettings>;

export interface OutgoingPacket {
  code: number;
  payload: Uint8Array;
}

/** The parts of the two wire protocols that differ; envelopes, confirmations and P2P codes are shared. */
export interface WireAdapter {
  readonly protocol: WireProtocolName;
  encodeStatus(local: LocalStatus): Uint8Array;
  decodeStatus(payload: Uint8Array, maxTopicInterest: number): RemoteSettings;
  /** True for the codes that change a peer's settings after the handshake. */
  isUpdateCode(code: number): boolean;
  decodeUpdate(code: number, payload: Uint8Array, maxTopicInterest: number): RemoteUpdate;
  /** Packets announcing a change of our PoW requirement and/or interest. */
  encodeUpdate(change: { minPow?: number; interest?: Interest }): OutgoingPacket[];
}

function interestOption(interest: Interest): Pick<StatusOptions, 'bloomFilter' | 'topicInterest'> {
  const topics = interestTopics(interest);
  return topics ? { topicInterest: topics } : { bloomFilter: interestToBloom(interest) };
}

/** Applies WAKU-06 precedence: topic interest wins over a bloom sent in the same options. */
function interestFromOptions(options: StatusOptions): Interest | undefined {
  if (options.topicInterest !== undefined) return interestFromTopics(options.topicInterest);
  if (options.bloomFilter !== undefined) return interestFromBloom(options.bloomFilter);
  return undefined;
}

function updateFromOptions(options: StatusOptions): RemoteUpdate {
  const update: RemoteUpdate = {};
  if (options.powRequirement !== undefined) update.pow = options.powRequirement;
  const interest = interestFromOptions(options);
  if (interest) update.interest = interest;
  if (options.lightNode !== undefined) update.lightNode = options.lightNode;
  if (options.confirmationsEnabled !== undefined) update.confirmationsEnabled = options.confirmationsEnabled;
  if (options.packetRateLimits !== undefined) update.packetLimits = options.packetRateLimits;
  if (options.bytesRateLimits !== undefined) update.bytesLimits = options.bytesRateLimits;
  return update;
}

/** waku/1: Status and Status Update (22) carry the key/value options. */
export const wakuAdapter: WireAdapter = {
  protocol: 'waku',
  encodeStatus(local) {
    return encodeStatusOptions({
      powRequirement: local.minPow,
      ...interestOption(local.interest),
      lightNode: local.lightNode,
      confirmationsEnabled: local.confirmationsEnabled,
      packetRateLimits: local.packetLimits,
      bytesRateLimits: local.bytesLimits,
    });
  },
  decodeStatus(payload, maxTopicInterest) {
    const update = updateFromOptions(decodeStatusOptions(payload, { maxTopicInterest }));
    // WAKU-04 defaults for omitted options.
    return {
      pow: update.pow ?? WAKU_DEFAULT_PEER_POW,
      interest: update.interest ?? FULL_INTEREST,
      lightNode: update.lightNode ?? false,
      confirmationsEnabled: update.confirmationsEnabled ?? false,
      packetLimits: update.packetLimits ?? NO_RATE_LIMITS,
      bytesLimits: update.bytesLimits ?? NO_RATE_LIMITS,
    };
  },
  isUpdateCode: (code) => code === WakuCode.StatusUpdate,
  decodeUpdate(_code, payload, maxTopicInterest) {
    return updateFromOptions(decodeStatusOptions(payload, { maxTopicInterest }));
  },
  encodeUpdate(change) {
    const options: StatusOptions = {};
    if (change.minPow !== undefined) options.powRequirement = change.minPow;
    if (change.interest !== undefined) Object.assign(options, interestOption(change.interest));
    return [{ code: WakuCode.StatusUpdate, payload: encodeStatusOptions(options) }];
  },
};

/** shh/6: positional Status; PoW (2), bloom (3) and rate limits (20) change separately; no topic interest. */
export const whisperAdapter: WireAdapter = {
  protocol: 'shh',
  encodeStatus(local) {
    return encodeWhisperStatus({
      powRequirement: local.minPow,
      bloomFilter: interestToBloom(local.interest),
      lightNode: local.lightNode,
      confirmationsEnabled: local.confirmationsEnabled,
      rateLimits: local.packetLimits,
    });
  },
  decodeStatus(payload) {
    const status = decodeWhisperStatus(payload);
    return {
      // status-go's whisper peer starts at PoW 0 and a full bloom.
      pow: status.powRequirement ?? 0,
      interest: status.bloomFilter ? interestFromBloom(status.bloomFilter) : FULL_INTEREST,
      lightNode: status.lightNode ?? false,
      confirmationsEnabled: status.confirmationsEnabled ?? false,
      packetLimits: status.rateLimits ?? NO_RATE_LIMITS,
      bytesLimits: NO_RATE_LIMITS,
    };
  },
  isUpdateCode: (code) =>
    code === WhisperCode.PowRequirement ||
    code === WhisperCode.BloomFilterExchange ||
    code === WhisperCode.RateLimiting,
  decodeUpdate(code, payload) {
    if (code === WhisperCode.PowRequirement) return { pow: decodeWhisperPow(payload) };
    if (code === WhisperCode.BloomFilterExchange)
      return { interest: interestFromBloom(decodeWhisperBloom(payload)) };
    return { packetLimits: decodeWhisperRateLimits(payload) };
  },
  encodeUpdate(change) {
    const packets: OutgoingPacket[] = [];
    if (change.minPow !== undefined) {
      packets.push({ code: WhisperCode.PowRequirement, payload: encodeWhisperPow(change.minPow) });
    }
    if (change.interest !== undefined) {
      packets.push({
        code: WhisperCode.BloomFilterExchange,
        payload: encodeWhisperBloom(interestToBloom(change.interest)),
      });
    }
    return packets;
  },
};

export function adapterFor(protocol: WireProtocolName): WireAdapter {
  return protocol === 'waku' ? wakuAdapter : whisperAdapter;
}
