import { hexToBytes } from '@status-ts/core';
import { readVectors } from '../../../../tools/vectors.js';

// vectors/mvds.json at the repository root (see its sources block).

interface MvdsVectors {
  example: {
    group_id_inputs: {
      private_key_a: string;
      private_key_b: string;
      compressed_a: string;
      compressed_b: string;
    };
    group_id: string;
    timestamp: number;
    body: string;
    message_id: string;
    payload_with_message: string;
    payload_ack_only: string;
  };
}

export const vectors = readVectors<MvdsVectors>('mvds.json');
export const example = vectors.example;
export const exampleMessage = {
  groupId: hexToBytes(example.group_id),
  timestamp: BigInt(example.timestamp),
  body: hexToBytes(example.body),
};
