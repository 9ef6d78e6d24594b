import { bytesToNumber, bytesToUtf8, numberToBytes, utf8ToBytes } from '@status-ts/core';
import type { Enr } from './enr/enr.js';
import { EnrError, EnrErrorCode } from './errors.js';
import type { RlpItem } from './rlp/index.js';

/**
 * How a Status node advertises its roles in its ENR (decision recorded in docs/discv5.md; shared by every
 * discovery source and the PeerPool, hence here):
 *
 * - `status` = RLP list of role names (UTF-8), the Status discovery topics the node serves: `whisper`
 *   (a relayer) and/or `whispermail` (a mailserver). A `PeerSource` for topic T yields records whose `status`
 *   list contains T.
 * - `caps` = RLP list of `[name, version]` pairs, the RLPx capabilities the node accepts, in the shape of the
 *   devp2p Hello (e.g. `[["waku", 1], ["shh", 6]]`), so a dialer can skip nodes it cannot talk to.
 */
export const ROLES_KEY = 'status';
export const CAPABILITIES_KEY = 'caps';
/** Role names: short lowercase ASCII. */
export const MAX_ROLES = 8;
export const MAX_ROLE_NAME_LENGTH = 32;

export type StatusRole = 'whisper' | 'whispermail';

export interface RlpxCapability {
  name: string;
  version: number;
}

export interface RoleAdvertisement {
  roles?: readonly string[];
  capabilities?: readonly RlpxCapability[];
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

function checkName(name: string, what: string): void {
  if (name.length > MAX_ROLE_NAME_LENGTH || !NAME.test(name)) {
    throw new EnrError(EnrErrorCode.InvalidValue, `${what} "${name}" must be lowercase ASCII, 1-32 chars`);
  }
}

/** The ENR entries for `advertisement` (for `Enr.create`, `LocalRecord` or `Discv5NodeOptions.entries`). */
export function roleEntries(advertisement: RoleAdvertisement): Record<string, RlpItem> {
  const entries: Record<string, RlpItem> = {};
  const roles = [...new Set(advertisement.roles ?? [])];
  if (roles.length > MAX_ROLES) {
    throw new EnrError(EnrErrorCode.InvalidValue, `at most ${MAX_ROLES} roles`);
  }
  // Stryker disable next-line StringLiteral: names the field in the error message only.
  for (const role of roles) checkName(role, 'role');
  if (roles.length > 0) entries[ROLES_KEY] = roles.map(utf8ToBytes);
  const caps = advertisement.capabilities ?? [];
  for (const cap of caps) {
    // Stryker disable next-line StringLiteral: names the field in the error message only.
    checkName(cap.name, 'capability');
    if (!Number.isInteger(cap.version) || cap.version < 0 || cap.version > 0xffff) {
      throw new EnrError(EnrErrorCode.InvalidValue, `capability version ${cap.version} out of range`);
    }
  }
  if (caps.length > 0)
    entries[CAPABILITIES_KEY] = caps.map((c) => [utf8ToBytes(c.name), numberToBytes(c.version)]);
  return entries;
}

/** A re-signed copy of `enr` (seq + 1) advertising `advertisement`; absent parts are removed. */
export function withRoles(enr: Enr, privateKey: Uint8Array, advertisement: RoleAdvertisement): Enr {
  const entries = roleEntries(advertisement);
  return enr.with(privateKey, {
    entries: {
      [ROLES_KEY]: entries[ROLES_KEY] ?? null,
      [CAPABILITIES_KEY]: entries[CAPABILITIES_KEY] ?? null,
    },
  });
}

function text(item: RlpItem): string | undefined {
  if (!(item instanceof Uint8Array) || item.length === 0 || item.length > MAX_ROLE_NAME_LENGTH)
    return undefined;
  let name: string | undefined;
  try {
    name = bytesToUtf8(item);
  } catch {
    // Not UTF-8: no name.
  }
  return name;
}

/** The roles a record advertises; malformed or missing entries give `[]` (a remote record is untrusted). */
export function rolesOf(enr: Enr): string[] {
  const value = enr.get(ROLES_KEY);
  if (!Array.isArray(value)) return [];
  return value.map(text).filter((r): r is string => r !== undefined);
}

export function hasRole(enr: Enr, role: string): boolean {
  return rolesOf(enr).includes(role);
}

/** The RLPx capabilities a record advertises (malformed pairs skipped). */
export function capabilitiesOf(enr: Enr): RlpxCapability[] {
  const value = enr.get(CAPABILITIES_KEY);
  if (!Array.isArray(value)) return [];
  const out: RlpxCapability[] = [];
  for (const pair of value) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a byte string or a short list also has no name or no version below.
    if (!Array.isArray(pair) || pair.length < 2) continue;
    const name = text(pair[0]!);
    const version = pair[1];
    if (name === undefined || !(version instanceof Uint8Array) || version.length > 2) continue;
    if (version[0] === 0) continue; // a leading zero byte is not canonical (empty is version 0)
    out.push({ name, version: bytesToNumber(version) });
  }
  return out;
}
