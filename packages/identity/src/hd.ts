import { HDKey } from '@scure/bip32';
import { getPublicKey } from '@status-ts/crypto';
import { publicKeyToAddress } from './address.js';
import { IdentityError, IdentityErrorCode } from './errors.js';

export type { HDKey };

/** EIP-1581 root: keys for non-wallet use (Status stores its address as `eip1581-address`). */
export const EIP1581_ROOT_PATH = "m/43'/60'/1581'";
/** The Status chat (Whisper/Waku identity) key, EIP-1581 key type 0, index 0 (account spec, CRY-09). */
export const CHAT_KEY_PATH = "m/43'/60'/1581'/0'/0";
/** BIP44 Ethereum external chain; wallet accounts are its children `/i`. */
export const WALLET_ROOT_PATH = "m/44'/60'/0'/0";
/** The first wallet account, `m/44'/60'/0'/0/0`. */
export const DEFAULT_WALLET_PATH = `${WALLET_ROOT_PATH}/0`;

const HARDENED_OFFSET = 0x80000000;
/** BIP32 serializes the depth in one byte. */
const MAX_DEPTH = 255;

/** A derived secp256k1 key with the forms Status stores. */
export interface KeyPair {
  /** 32-byte private key. */
  privateKey: Uint8Array;
  /** 65-byte uncompressed public key `04 || X || Y` (what Status shows as `0x04…`). */
  publicKey: Uint8Array;
  /** EIP-55 address of the key. */
  address: string;
}

/** Path of wallet account `index` (BIP44 address index, 0 to 2^31 - 1). */
export function walletKeyPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index >= HARDENED_OFFSET) {
    throw new IdentityError(
      IdentityErrorCode.InvalidPath,
      `wallet index must be in [0, 2^31), got ${index}`,
      {
        details: { index },
      },
    );
  }
  return `${WALLET_ROOT_PATH}/${index}`;
}

/** BIP32 master node of a seed (16 to 64 bytes; BIP39 seeds are 64). */
export function seedToRoot(seed: Uint8Array): HDKey {
  if (!(seed instanceof Uint8Array) || seed.length < 16 || seed.length > 64) {
    throw new IdentityError(IdentityErrorCode.InvalidSeed, 'BIP32 seed must be 16 to 64 bytes', {
      details: { length: seed instanceof Uint8Array ? seed.length : undefined },
    });
  }
  try {
    return HDKey.fromMasterSeed(seed);
  } catch (cause) {
    // Probability ~2^-127: the master key is out of range and BIP32 says to pick another seed.
    throw new IdentityError(IdentityErrorCode.InvalidSeed, 'seed gives an invalid master key', { cause });
  }
}

function checkPath(path: string): void {
  const fail = (why: string) =>
    new IdentityError(IdentityErrorCode.InvalidPath, `invalid derivation path: ${why}`, {
      details: { path: typeof path === 'string' ? path.slice(0, 64) : undefined },
    });
  if (typeof path !== 'string' || !/^m(\/\d{1,10}'?)*$/.test(path)) {
    throw fail("expected m/<index>[']/..., e.g. m/44'/60'/0'/0/0");
  }
  const parts = path.split('/').slice(1);
  if (parts.length > MAX_DEPTH) throw fail(`deeper than ${MAX_DEPTH} levels`);
  for (const part of parts) {
    if (Number.parseInt(part, 10) >= HARDENED_OFFSET) throw fail('index must be below 2^31');
  }
}

/** The node at `path` (absolute, from the master node `root`), e.g. `m/43'/60'/1581'/0'/0`. */
export function derivePath(root: HDKey, path: string): HDKey {
  checkPath(path);
  if (root.depth !== 0) {
    throw new IdentityError(IdentityErrorCode.InvalidPath, 'absolute paths derive from the master node only');
  }
  try {
    return root.derive(path);
  } catch (cause) {
    // A hardened step below a public-only node, or (chance ~2^-127) a child key out of range, in which
    // case BIP32 says to use the next index.
    throw new IdentityError(IdentityErrorCode.InvalidPath, 'cannot derive a key at this path', { cause });
  }
}

/** The key pair of a node that holds a private key. */
export function keyPairOf(node: HDKey): KeyPair {
  const privateKey = node.privateKey;
  if (privateKey === null) {
    throw new IdentityError(IdentityErrorCode.InvalidPath, 'node has no private key (derived from an xpub)');
  }
  const publicKey = getPublicKey(privateKey, 'uncompressed');
  return { privateKey, publicKey, address: publicKeyToAddress(publicKey) };
}

/** Key pair at `path` from the master node. */
export function deriveKeyPair(root: HDKey, path: string): KeyPair {
  return keyPairOf(derivePath(root, path));
}
