import { BASE_PROTOCOL_LENGTH } from '../constants.js';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';

/** A capability as announced in Hello: name and version. */
export interface CapabilityId {
  readonly name: string;
  readonly version: number;
}

/** A capability we run: its announced id plus how many message ids it uses. */
export interface CapabilitySpec extends CapabilityId {
  readonly length: number;
}

/** A capability both sides run, with the absolute message-id range it was given. */
export interface SharedCapability<T extends CapabilitySpec = CapabilitySpec> {
  readonly capability: T;
  readonly name: string;
  readonly version: number;
  /** First absolute message id (>= 0x10). */
  readonly offset: number;
  readonly length: number;
}

const NAME_PATTERN = /^[\x21-\x7e]{1,8}$/;

/** Throws ERR_P2P_INVALID_OPTIONS unless name is 1-8 printable ASCII, version and length are sane. */
export function validateCapability(spec: CapabilitySpec): void {
  if (!NAME_PATTERN.test(spec.name)) {
    throw new Devp2pError(
      Devp2pErrorCode.InvalidOptions,
      `capability name must be 1-8 printable ASCII characters: ${JSON.stringify(spec.name)}`,
    );
  }
  if (!Number.isSafeInteger(spec.version) || spec.version < 0) {
    throw new Devp2pError(Devp2pErrorCode.InvalidOptions, `bad version for capability ${spec.name}`);
  }
  if (!Number.isSafeInteger(spec.length) || spec.length < 1 || spec.length > 0xff_ff) {
    throw new Devp2pError(Devp2pErrorCode.InvalidOptions, `bad message count for capability ${spec.name}`);
  }
}

/**
 * Matches our capabilities against the peer's (checklist RLPX-12): for every name both run, the highest
 * version both run; names sorted (case-sensitive, byte order) and given consecutive id ranges from 0x10.
 */
export function matchCapabilities<T extends CapabilitySpec>(
  local: readonly T[],
  remote: readonly CapabilityId[],
): SharedCapability<T>[] {
  const best = new Map<string, T>();
  for (const r of remote) {
    for (const l of local) {
      if (l.name !== r.name || l.version !== r.version) continue;
      const current = best.get(l.name);
      if (!current || current.version < l.version) best.set(l.name, l);
    }
  }
  // Without a comparator, sort orders by UTF-16 code units as `<` does (byte order for ASCII names).
  const names = [...best.keys()].sort();
  const shared: SharedCapability<T>[] = [];
  let offset = BASE_PROTOCOL_LENGTH;
  for (const name of names) {
    const capability = best.get(name)!;
    shared.push({ capability, name, version: capability.version, offset, length: capability.length });
    offset += capability.length;
  }
  return shared;
}
