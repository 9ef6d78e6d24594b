import { bytesToHex, hexToBytes, ManualClock } from '@status-ts/core';
import { createAccount } from '@status-ts/identity';
import { decodeProtocolMessage } from '@status-ts/secure-transport';
import { Envelope, publicChat } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  ClientError,
  ClientErrorCode,
  createStatusNode,
  STATUS_PROFILE,
  type StatusMessage,
  type StatusNode,
} from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

function collect(node: StatusNode): StatusMessage[] {
  const seen: StatusMessage[] = [];
  node.on('message', (message) => seen.push(message));
  return seen;
}

describe('public chats over real sockets on 127.0.0.1', () => {
  it('two mobile nodes behind a relayer talk both ways, with signed Status messages and the same ids', async () => {
    const relayer = await started(localNode({ role: 'relayer' }));
    const alice = await started(
      createStatusNode({
        discovery: false,
        identity: { mnemonic: createAccount().mnemonic },
        staticPeers: [relayer.enode!],
      }),
    );
    const bob = await started(
      localNode({
        staticPeers: [relayer.enode!],
      }),
    );
    await waitFor(
      () => relayer.waku.peers.filter((p) => p.ready).length === 2,
      'both mobile nodes connected',
    );
    alice.joinPublicChat('status-ts');
    bob.joinPublicChat('status-ts');
    const aliceSaw = collect(alice);
    const bobSaw = collect(bob);
    // Light nodes tell the relayer their topic interest: give it a relay tick.
    await new Promise((resolve) => setTimeout(resolve, 400));

    const first = await alice.sendPublicMessage('status-ts', 'hello from alice');
    await waitFor(() => bobSaw.length === 1, 'bob receiving alice');
    const reply = await bob.sendPublicMessage('status-ts', 'hi alice', { responseTo: first.message.id });
    await waitFor(() => aliceSaw.length === 2, 'alice receiving bob');

    expect(bobSaw[0]).toMatchObject({
      id: first.message.id,
      chatId: 'status-ts',
      chatKind: 'public',
      author: alice.identity.id,
      authorName: alice.identity.name,
      text: 'hello from alice',
      outgoing: false,
      envelopeHash: first.envelopeHash,
    });
    expect(aliceSaw.map((m) => [m.text, m.outgoing])).toEqual([
      ['hello from alice', true],
      ['hi alice', false],
    ]);
    expect(aliceSaw[1]).toMatchObject({
      id: reply.message.id,
      author: bob.identity.id,
      responseTo: first.message.id,
    });
    // Bob's clock moved past what he read: his reply sorts after Alice's message.
    expect(reply.message.clock).toBeGreaterThan(first.message.clock);
  });

  it('sends with the Status profile: TTL 15 s, PoW 0.002, a signed envelope', async () => {
    const node = await started(localNode({ listen: false }));
    node.joinPublicChat('profile');
    const { topic, symKey } = publicChat('profile');
    const raw = node.waku.subscribe({ topics: [topic], symKey });
    const sent = await node.sendPublicMessage('profile', 'x');
    const opened = await raw.next();
    expect(opened.signer).toEqual(node.identity.publicKey); // the envelope is signed by the chat key
    // The payload is a secure-transport ProtocolMessage carrying the wrapper and our bundle.
    const protocolMessage = decodeProtocolMessage(opened.payload);
    expect(protocolMessage.installationId).toBe(node.installationId);
    expect(protocolMessage.bundles).toHaveLength(1);
    expect(protocolMessage.publicMessage.length).toBeGreaterThan(0);
    const envelope = node.waku.envelopes().find((e) => `0x${e.hashHex}` === sent.envelopeHash);
    expect(envelope?.ttl).toBe(STATUS_PROFILE.ttl);
    expect(envelope!.pow()).toBeGreaterThanOrEqual(STATUS_PROFILE.powTarget);
    expect(STATUS_PROFILE).toMatchObject({
      ttl: 15,
      powTarget: 0.002,
      powTargetLarge: 0.000002,
      powTimeMs: 5000,
    });
  });

  it('refuses bad chat names, unknown chats and calls before start with typed errors', async () => {
    const node = localNode({
      listen: false,
    });
    expect(() => node.joinPublicChat('status')).toThrow(ClientError);
    await started(node);
    expect(() => node.joinPublicChat('Not A Name')).toThrowError(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD' }),
    );
    await expect(node.sendPublicMessage('never-joined', 'x')).rejects.toMatchObject({
      code: ClientErrorCode.UnknownChat,
    });
    expect(() => createStatusNode({ discovery: false, identity: { mnemonic: 'not a phrase' } })).toThrowError(
      expect.objectContaining({ code: ClientErrorCode.InvalidOptions }),
    );
  });
});

describe('the captured status-go public chat message', () => {
  const messenger = readVectors('captured-status-go.json').items.messenger;
  const recorded = messenger.public_chat.envelopes[0];

  it('is received as a chat message with the recorded text, author and id', async () => {
    // The envelope expired long ago: run the node's clock at the capture time.
    const clock = new ManualClock(recorded.envelope.sent_time * 1000);
    const node = await started(
      localNode({
        listen: false,
        clock,
      }),
    );
    const seen = collect(node);
    node.joinPublicChat(messenger.public_chat.chat_name);
    node.waku.postEnvelope(Envelope.decode(hexToBytes(recorded.envelope_rlp)));
    await waitFor(() => seen.length === 1, 'the captured message');
    expect(seen[0]).toMatchObject({
      id: messenger.public_chat.message_id,
      chatId: messenger.public_chat.chat_name,
      author: messenger.keys.sender_identity_key.public_uncompressed,
      text: messenger.public_chat.text,
      outgoing: false,
      envelopeHash: `0x${bytesToHex(Envelope.decode(hexToBytes(recorded.envelope_rlp)).hash)}`,
    });
  });
});

describe('the captured status-go 1:1 message', () => {
  const messenger = readVectors('captured-status-go.json').items.messenger;
  const recorded = messenger.one_to_one.envelopes[0];

  it('is received by the recipient as a 1:1 chat message with the recorded text, author and id', async () => {
    const clock = new ManualClock(recorded.envelope.sent_time * 1000);
    const node = await started(
      createStatusNode({
        discovery: false,
        identity: { privateKey: hexToBytes(messenger.keys.dm_recipient_key.private) },
        listen: false,
        clock,
      }),
    );
    const seen = collect(node);
    // Our partitioned topic is the one the capture used: the DH-header message (first contact) lands there.
    node.waku.postEnvelope(Envelope.decode(hexToBytes(recorded.envelope_rlp)));
    await waitFor(() => seen.length === 1, 'the captured 1:1 message');
    expect(seen[0]).toMatchObject({
      id: messenger.one_to_one.message_id,
      chatKind: 'one-to-one',
      chatId: messenger.keys.sender_identity_key.public_uncompressed,
      author: messenger.keys.sender_identity_key.public_uncompressed,
      text: messenger.one_to_one.text,
      outgoing: false,
    });
  });
});
