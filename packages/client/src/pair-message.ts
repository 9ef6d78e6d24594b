import { convertPublicKey } from '@status-ts/crypto';
import {
  encodeProtocolMessage,
  encryptWithDh,
  NO_INSTALLATION_ID,
  partitionedTopic,
  type SecureTransport,
} from '@status-ts/secure-transport';
import type { WakuNode } from '@status-ts/waku';
import type { NodeIdentity } from './identity.js';

/**
 * Posts a bare wrapper to our own key as status-go sends PAIR_INSTALLATION (message_processor.go
 * SendPairInstallation → protocol.go BuildDHMessage): no MVDS, encrypted with a DH header under `"none"`
 * so every device of ours opens it (a new device knows no other yet, and they do not know it), with our
 * bundle attached (how they learn this device and its prekey), on our partitioned topic.
 */
export async function postToOwnDevices(
  identity: NodeIdentity,
  transport: SecureTransport,
  waku: WakuNode,
  wrapper: Uint8Array,
): Promise<string> {
  const dh = encryptWithDh(convertPublicKey(identity.publicKey, 'compressed'), wrapper);
  const bytes = encodeProtocolMessage({
    installationId: transport.installationId,
    bundles: [await transport.bundle()],
    directMessage: {
      [NO_INSTALLATION_ID]: { DHHeader: { key: dh.ephemeralPublicKey }, payload: dh.payload },
    },
  });
  const posted = await waku.post({
    topic: partitionedTopic(identity.publicKey),
    publicKey: identity.publicKey,
    payload: bytes,
    signingKey: identity.privateKey,
  });
  return `0x${posted.hashHex}`;
}
