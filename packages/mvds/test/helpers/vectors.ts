import { readFileSync } from 'node:fs';
import { hexToBytes } from '@status-ts/core';

// A verbatim copy of shared/vectors/mvds.json (see its sources block), so the package tests stand alone.
const path = new URL('../vectors/mvds.json', import.meta.url);

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

export const vectors = JSON.parse(readFileSync(path, 'utf8')) as MvdsVectors;
export const example = vectors.example;
export const exampleMessage = {
  groupId: hexToBytes(example.group_id),
  timestamp: BigInt(example.timestamp),
  body: hexToBytes(example.body),
};
