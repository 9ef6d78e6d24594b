export { base64UrlDecode, base64UrlEncode } from './base64url.js';
export {
  ENODE_PREFIX,
  type EnodeFields,
  enodeFromEnr,
  enrFromEnode,
  formatEnode,
  type ParseEnodeOptions,
  parseEnode,
  parseNodeUrl,
} from './enode.js';
export {
  ENR_TEXT_PREFIX,
  Enr,
  type EnrAddressFields,
  type EnrChanges,
  type EnrCreateOptions,
  type EnrDecodeOptions,
} from './enr/enr.js';
export { EnrKey, IDENTITY_SCHEME_V4 } from './enr/keys.js';
export { LocalRecord, type LocalRecordOptions } from './enr/local-record.js';
export {
  decodeRecordRlp,
  ENR_MAX_SEQ,
  ENR_MAX_SIZE,
  type EnrPair,
  type RecordContent,
} from './enr/record.js';
export { EnrError, EnrErrorCode, RlpError, RlpErrorCode } from './errors.js';
export { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';
export type { NodeAddress } from './node-address.js';
export { type PeerSource, StatusTopic } from './peer-source.js';
export * from './rlp/index.js';
export {
  CAPABILITIES_KEY,
  capabilitiesOf,
  hasRole,
  MAX_ROLE_NAME_LENGTH,
  MAX_ROLES,
  type RlpxCapability,
  ROLES_KEY,
  type RoleAdvertisement,
  roleEntries,
  rolesOf,
  type StatusRole,
  withRoles,
} from './roles.js';
