import { bytesToHex } from '@status-ts/core';
import { CryptoError, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  contactCodeTopic,
  DISCOVERY_TOPIC_NAME,
  negotiatedTopic,
  partitionedTopic,
  partitionedTopicName,
  personalDiscoveryTopicName,
  SecureTransportErrorCode,
  topicFromName,
  topicPartition,
} from '../src/index.js';
import { hex, vectors } from './helpers/vectors.js';

const t = vectors.transport_topics;
const [first, second] = t.partitioned_official.cases;

describe('partitioned topic (status-go filters_manager_test, official partitions)', () => {
  for (const c of t.partitioned_official.cases) {
    it(`key ${c.public_key.slice(0, 10)}... is in partition ${c.want_partition}`, () => {
      expect(bytesToHex(getPublicKey(hex(c.private_key)))).toBe(c.public_key);
      expect(topicPartition(hex(c.public_key))).toBe(c.want_partition);
      // compressed input gives the same partition
      expect(topicPartition(getPublicKey(hex(c.private_key), 'compressed'))).toBe(c.want_partition);
      expect(partitionedTopicName(hex(c.public_key))).toBe(c.computed.partitioned_topic_name);
      expect(bytesToHex(partitionedTopic(hex(c.public_key)))).toBe(c.computed.partitioned_topic);
    });
  }
});

describe('other topics (computed)', () => {
  it('discovery and personal discovery topics', () => {
    expect(bytesToHex(topicFromName(DISCOVERY_TOPIC_NAME))).toBe(t.discovery_topic_computed.topic);
    const name = personalDiscoveryTopicName(hex(first.public_key));
    expect(name).toBe(first.computed.personal_discovery_topic_name);
    expect(bytesToHex(topicFromName(name))).toBe(first.computed.personal_discovery_topic);
  });

  it('contact-code topic and symmetric key', () => {
    const cc = contactCodeTopic(hex(second.public_key));
    expect(cc.name).toBe(second.computed.contact_code_topic_name);
    expect(bytesToHex(cc.topic)).toBe(second.computed.contact_code_topic);
    expect(bytesToHex(cc.symmetricKey)).toBe(second.computed.contact_code_sym_key);
  });

  it('negotiated topic is the same from both sides', () => {
    const n = t.negotiated_computed;
    const ab = negotiatedTopic(hex(first.private_key), hex(second.public_key));
    const ba = negotiatedTopic(hex(second.private_key), hex(first.public_key));
    for (const side of [ab, ba]) {
      expect(bytesToHex(side.secret)).toBe(n.secret);
      expect(side.name).toBe(n.secret);
      expect(bytesToHex(side.topic)).toBe(n.topic);
      expect(bytesToHex(side.symmetricKey)).toBe(n.sym_key);
    }
  });

  it('an invalid public key gives ERR_ST_BAD_KEY', () => {
    expect(() => topicPartition(hex(`03${'ff'.repeat(32)}`))).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.BadKey }),
    );
  });

  it('the BadKey error carries the curve error as its cause', () => {
    expect(() => topicPartition(hex(`03${'ff'.repeat(32)}`))).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.BadKey, cause: expect.any(CryptoError) }),
    );
  });
});
