import { ClientError, ClientErrorCode } from '../errors.js';

/**
 * Where a node finds the network: data, never protocol constants (CLI-02). A fleet is what status-go calls
 * a `ClusterConfig`: discv5 bootnodes, rendezvous servers, static nodes, trusted mailservers, and EIP-1459
 * trees per topic.
 */
export interface Fleet {
  readonly name: string;
  /** Discv5 bootstrap nodes: `enr:` text, or `enode://` URLs (UDP port = TCP port unless `?discport=`). */
  readonly bootnodes: readonly string[];
  /** Rendezvous servers: `/ip4/…/tcp/…/ethv4/<peer id>`. */
  readonly rendezvous: readonly string[];
  /** Relayers kept connected whatever discovery finds (`enode://` or `enr:`). */
  readonly staticNodes: readonly string[];
  /** Mailservers trusted for history; when any are listed, only these serve as the mailserver. */
  readonly mailservers: readonly string[];
  /** EIP-1459 trees (`enrtree://…`) per topic (`whisper`, `whispermail`). */
  readonly dnsTrees: Readonly<Record<string, readonly string[]>>;
}

/** A fleet from parts (every list empty unless given). */
export function defineFleet(fleet: Partial<Fleet> & { name: string }): Fleet {
  return {
    name: fleet.name,
    bootnodes: fleet.bootnodes ?? [],
    rendezvous: fleet.rendezvous ?? [],
    staticNodes: fleet.staticNodes ?? [],
    mailservers: fleet.mailservers ?? [],
    dnsTrees: fleet.dnsTrees ?? {},
  };
}

/**
 * A fleet from the JSON Status publishes at https://fleets.status.im (`{ fleets: { "eth.prod": { boot,
 * mail, rendezvous, whisper } } }`, each group a map of host name to address): `boot` are the bootnodes,
 * `whisper` the static relayers, `mail` the mailservers. Throws `ERR_CLIENT_INVALID_OPTIONS` when the
 * fleet is missing or a group is not a map of strings.
 */
export function fleetFromJson(json: string | unknown, name: string): Fleet {
  const document = typeof json === 'string' ? parseJson(json) : json;
  const fleets = field(document, 'fleets');
  const entry = field(fleets, name);
  if (entry === undefined) {
    throw new ClientError(ClientErrorCode.InvalidOptions, `no fleet ${JSON.stringify(name)} in the JSON`);
  }
  return defineFleet({
    name,
    bootnodes: group(entry, 'boot'),
    rendezvous: group(entry, 'rendezvous'),
    staticNodes: group(entry, 'whisper'),
    mailservers: group(entry, 'mail'),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ClientError(ClientErrorCode.InvalidOptions, 'the fleet JSON does not parse', { cause });
  }
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function group(entry: unknown, key: string): string[] {
  const value = field(entry, key);
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClientError(ClientErrorCode.InvalidOptions, `fleet group ${key} is not a map of addresses`);
  }
  const addresses = Object.values(value);
  if (!addresses.every((address): address is string => typeof address === 'string')) {
    throw new ClientError(ClientErrorCode.InvalidOptions, `fleet group ${key} holds a non-string address`);
  }
  return addresses;
}
