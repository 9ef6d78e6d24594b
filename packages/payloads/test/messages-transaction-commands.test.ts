import { concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AcceptRequestAddressForTransaction,
  COMMAND_STATE_NUMBERS,
  type CommandState,
  commandStateFromNumber,
  type DeclineRequestAddressForTransaction,
  type DeclineRequestTransaction,
  decodeAcceptRequestAddressForTransaction,
  decodeDeclineRequestAddressForTransaction,
  decodeDeclineRequestTransaction,
  decodeRequestAddressForTransaction,
  decodeRequestTransaction,
  decodeSendTransaction,
  encodeAcceptRequestAddressForTransaction,
  encodeDeclineRequestAddressForTransaction,
  encodeDeclineRequestTransaction,
  encodeRequestAddressForTransaction,
  encodeRequestTransaction,
  encodeSendTransaction,
  nextCommandState,
  type RequestAddressForTransaction,
  type RequestTransaction,
  type SendTransaction,
  type TransactionCommandType,
  validateAcceptRequestAddressForTransaction,
  validateDeclineRequestAddressForTransaction,
  validateDeclineRequestTransaction,
  validateRequestAddressForTransaction,
  validateRequestTransaction,
  validateSendTransaction,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const invalid = (field: string) =>
  expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: expect.objectContaining({ field }) });
const NOW = 1_600_000_000_000;
const ADDRESS = '0x8a6c2b3bd2f1b3cbd3a32e2e4b4c5d1f2b3e4a5c';
const TOKEN = '0x744d70fdbe2ba4cf95131626614a1763df805b9e';
const MESSAGE_ID = `0x${'12'.repeat(32)}`;
const TX_HASH = `0x${'9f'.repeat(32)}`;
const SIGNATURE = Uint8Array.from({ length: 65 }, (_, i) => i + 1);

// command.proto field numbers, each message in Go's (field-number) order.
const requestAddress: RequestAddressForTransaction = { clock: NOW, value: '1.5', contract: TOKEN };
const requestAddressWire = proto().varint(1, NOW).string(2, '1.5').string(3, TOKEN).finish();
const accept: AcceptRequestAddressForTransaction = { clock: NOW, id: MESSAGE_ID, address: ADDRESS };
const acceptWire = proto().varint(1, NOW).string(2, MESSAGE_ID).string(3, ADDRESS).finish();
const declineAddress: DeclineRequestAddressForTransaction = { clock: NOW, id: MESSAGE_ID };
const declineAddressWire = proto().varint(1, NOW).string(2, MESSAGE_ID).finish();
const declineTransaction: DeclineRequestTransaction = { clock: NOW, id: MESSAGE_ID };
const declineTransactionWire = proto().varint(1, NOW).string(2, MESSAGE_ID).finish();
const requestTransaction: RequestTransaction = { clock: NOW, address: ADDRESS, value: '0.25', contract: '' };
const requestTransactionWire = proto().varint(1, NOW).string(2, ADDRESS).string(3, '0.25').finish();
const send: SendTransaction = { clock: NOW, id: MESSAGE_ID, transactionHash: TX_HASH, signature: SIGNATURE };
const sendWire = proto()
  .varint(1, NOW)
  .string(2, MESSAGE_ID)
  .string(3, TX_HASH)
  .bytesField(4, SIGNATURE)
  .finish();

const clock = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const text = wireText({ maxLength: 16 });
const nonEmpty = wireText({ minLength: 1, maxLength: 16 });
const nonBlank = nonEmpty.map((s) => `0x${s}`);
// Every JavaScript number prints as something Go's ParseFloat accepts ("1e+21", "Infinity", "NaN"...).
const value = fc.oneof(fc.double().map(String), fc.constantFrom('0x1p-2', '1_000.5', '.5', '-0'));

const arbitraries = {
  requestAddress: fc.record({ clock, value, contract: text }),
  accept: fc.record({ clock, id: nonEmpty, address: nonBlank }),
  declineAddress: fc.record({ clock, id: nonEmpty }),
  declineTransaction: fc.record({ clock, id: nonEmpty }),
  requestTransaction: fc.record({ clock, address: nonBlank, value, contract: text }),
  send: fc.record({
    clock,
    id: text,
    transactionHash: nonBlank,
    signature: fc.uint8Array({ minLength: 1, maxLength: 70 }),
  }),
};

describe('transaction command codecs', () => {
  const cases = [
    [
      'RequestAddressForTransaction',
      requestAddress,
      requestAddressWire,
      encodeRequestAddressForTransaction,
      decodeRequestAddressForTransaction,
    ],
    [
      'AcceptRequestAddressForTransaction',
      accept,
      acceptWire,
      encodeAcceptRequestAddressForTransaction,
      decodeAcceptRequestAddressForTransaction,
    ],
    [
      'DeclineRequestAddressForTransaction',
      declineAddress,
      declineAddressWire,
      encodeDeclineRequestAddressForTransaction,
      decodeDeclineRequestAddressForTransaction,
    ],
    [
      'DeclineRequestTransaction',
      declineTransaction,
      declineTransactionWire,
      encodeDeclineRequestTransaction,
      decodeDeclineRequestTransaction,
    ],
    [
      'RequestTransaction',
      requestTransaction,
      requestTransactionWire,
      encodeRequestTransaction,
      decodeRequestTransaction,
    ],
    ['SendTransaction', send, sendWire, encodeSendTransaction, decodeSendTransaction],
  ] as const;

  for (const [name, message, wire, encode, decode] of cases) {
    it(`${name}: encodes to the hand-built bytes, decodes them back, skips unknown fields`, () => {
      expect((encode as (m: typeof message) => Uint8Array)(message)).toEqual(wire);
      expect(decode(wire)).toEqual(message);
      expect(decode(concatBytes(wire, unknownFields()))).toEqual(message);
    });
  }

  it('RequestAddressForTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(
      arbitraries.requestAddress,
      encodeRequestAddressForTransaction,
      decodeRequestAddressForTransaction,
    );
    assertHostileBytesSafe(
      arbitraries.requestAddress,
      encodeRequestAddressForTransaction,
      decodeRequestAddressForTransaction,
    );
  });

  it('AcceptRequestAddressForTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(
      arbitraries.accept,
      encodeAcceptRequestAddressForTransaction,
      decodeAcceptRequestAddressForTransaction,
    );
    assertHostileBytesSafe(
      arbitraries.accept,
      encodeAcceptRequestAddressForTransaction,
      decodeAcceptRequestAddressForTransaction,
    );
  });

  it('DeclineRequestAddressForTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(
      arbitraries.declineAddress,
      encodeDeclineRequestAddressForTransaction,
      decodeDeclineRequestAddressForTransaction,
    );
    assertHostileBytesSafe(
      arbitraries.declineAddress,
      encodeDeclineRequestAddressForTransaction,
      decodeDeclineRequestAddressForTransaction,
    );
  });

  it('DeclineRequestTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(
      arbitraries.declineTransaction,
      encodeDeclineRequestTransaction,
      decodeDeclineRequestTransaction,
    );
    assertHostileBytesSafe(
      arbitraries.declineTransaction,
      encodeDeclineRequestTransaction,
      decodeDeclineRequestTransaction,
    );
  });

  it('RequestTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(arbitraries.requestTransaction, encodeRequestTransaction, decodeRequestTransaction);
    assertHostileBytesSafe(
      arbitraries.requestTransaction,
      encodeRequestTransaction,
      decodeRequestTransaction,
    );
  });

  it('SendTransaction: round-trips and survives hostile bytes', () => {
    assertRoundTrips(arbitraries.send, encodeSendTransaction, decodeSendTransaction);
    assertHostileBytesSafe(arbitraries.send, encodeSendTransaction, decodeSendTransaction);
  });
});

describe('transaction command validators (status-go message_validator.go)', () => {
  const validators = [
    ['RequestAddressForTransaction', requestAddress, validateRequestAddressForTransaction],
    ['AcceptRequestAddressForTransaction', accept, validateAcceptRequestAddressForTransaction],
    ['DeclineRequestAddressForTransaction', declineAddress, validateDeclineRequestAddressForTransaction],
    ['DeclineRequestTransaction', declineTransaction, validateDeclineRequestTransaction],
    ['RequestTransaction', requestTransaction, validateRequestTransaction],
    ['SendTransaction', send, validateSendTransaction],
  ] as const;

  for (const [name, message, validate] of validators) {
    it(`${name}: accepts the valid message and applies the clock rule`, () => {
      const check = validate as (m: typeof message, now: number) => void;
      expect(() => check(message, NOW)).not.toThrow();
      expect(() => check({ ...message, clock: NOW + 120_000 }, NOW)).not.toThrow();
      expect(() => check({ ...message, clock: 1 }, NOW)).not.toThrow();
      expect(() => check({ ...message, clock: NOW + 120_001 }, NOW)).toThrow(invalid('clock'));
      expect(() => check({ ...message, clock: 0 }, NOW)).toThrow(invalid('clock'));
    });
  }

  it('RequestAddressForTransaction: value not blank and accepted by Go ParseFloat', () => {
    for (const ok of ['1', '0.000001', '1e18', '0x1p4', 'Inf', 'NaN', '1_000']) {
      expect(
        () => validateRequestAddressForTransaction({ ...requestAddress, value: ok }, NOW),
        ok,
      ).not.toThrow();
    }
    for (const blank of ['', ' ', '\u3000']) {
      expect(() => validateRequestAddressForTransaction({ ...requestAddress, value: blank }, NOW)).toThrow(
        invalid('value'),
      );
    }
    for (const bad of [' 1', '1 ', '1,5', 'one', '1e400', '0x1']) {
      expect(() => validateRequestAddressForTransaction({ ...requestAddress, value: bad }, NOW), bad).toThrow(
        invalid('value'),
      );
      expect(() => encodeRequestAddressForTransaction({ ...requestAddress, value: bad })).toThrow(
        invalid('value'),
      );
    }
    // The contract is not checked.
    expect(() =>
      validateRequestAddressForTransaction({ ...requestAddress, contract: '' }, NOW),
    ).not.toThrow();
  });

  it('RequestTransaction: value and address not blank, value parses', () => {
    expect(() => validateRequestTransaction({ ...requestTransaction, value: ' ' }, NOW)).toThrow(
      invalid('value'),
    );
    expect(() => validateRequestTransaction({ ...requestTransaction, address: '\t' }, NOW)).toThrow(
      invalid('address'),
    );
    expect(() => validateRequestTransaction({ ...requestTransaction, value: 'lots' }, NOW)).toThrow(
      invalid('value'),
    );
    // status-go checks the address is there, not that it is an address.
    expect(() => validateRequestTransaction({ ...requestTransaction, address: 'nope' }, NOW)).not.toThrow();
    expect(() => encodeRequestTransaction({ ...requestTransaction, address: '' })).toThrow(
      invalid('address'),
    );
  });

  it('AcceptRequestAddressForTransaction: id not empty (white space allowed), address not blank', () => {
    expect(() => validateAcceptRequestAddressForTransaction({ ...accept, id: '' }, NOW)).toThrow(
      invalid('id'),
    );
    expect(() => validateAcceptRequestAddressForTransaction({ ...accept, id: ' ' }, NOW)).not.toThrow();
    expect(() => validateAcceptRequestAddressForTransaction({ ...accept, address: ' ' }, NOW)).toThrow(
      invalid('address'),
    );
    expect(() => encodeAcceptRequestAddressForTransaction({ ...accept, id: '' })).toThrow(invalid('id'));
  });

  it('DeclineRequestAddressForTransaction and DeclineRequestTransaction: id not empty', () => {
    expect(() => validateDeclineRequestAddressForTransaction({ ...declineAddress, id: '' }, NOW)).toThrow(
      invalid('id'),
    );
    expect(() => validateDeclineRequestTransaction({ ...declineTransaction, id: '' }, NOW)).toThrow(
      invalid('id'),
    );
    expect(() => encodeDeclineRequestAddressForTransaction({ ...declineAddress, id: '' })).toThrow(
      invalid('id'),
    );
    expect(() => encodeDeclineRequestTransaction({ ...declineTransaction, id: '' })).toThrow(invalid('id'));
    expect(() => encodeDeclineRequestTransaction({ ...declineTransaction, clock: 0 })).toThrow(
      invalid('clock'),
    );
  });

  it('SendTransaction: transaction hash not blank, a signature, id optional', () => {
    expect(() => validateSendTransaction({ ...send, id: '' }, NOW)).not.toThrow();
    expect(() => validateSendTransaction({ ...send, transactionHash: ' ' }, NOW)).toThrow(
      invalid('transactionHash'),
    );
    expect(() => validateSendTransaction({ ...send, signature: new Uint8Array() }, NOW)).toThrow(
      invalid('signature'),
    );
    expect(() => encodeSendTransaction({ ...send, signature: new Uint8Array() })).toThrow(
      invalid('signature'),
    );
    // A message without field 4 decodes to an empty signature, which is refused like Go's nil.
    const unsigned = decodeSendTransaction(proto().varint(1, NOW).string(3, TX_HASH).finish());
    expect(() => validateSendTransaction(unsigned, NOW)).toThrow(invalid('signature'));
  });

  it('encoders refuse a clock that is not a uint64', () => {
    expect(() => encodeRequestTransaction({ ...requestTransaction, clock: 2 ** 53 })).toThrow(
      code('ERR_PAYLOAD_INVALID_ARGUMENT'),
    );
  });
});

describe('command states (status-go CommandState and message_handler.go)', () => {
  it('numbers the states as status-go does', () => {
    expect(COMMAND_STATE_NUMBERS).toEqual({
      REQUEST_ADDRESS_FOR_TRANSACTION: 1,
      REQUEST_ADDRESS_FOR_TRANSACTION_DECLINED: 2,
      REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED: 3,
      REQUEST_TRANSACTION: 4,
      REQUEST_TRANSACTION_DECLINED: 5,
      TRANSACTION_PENDING: 6,
      TRANSACTION_SENT: 7,
    });
    for (const [name, number] of Object.entries(COMMAND_STATE_NUMBERS)) {
      expect(commandStateFromNumber(number)).toBe(name);
    }
    for (const bad of [0, 8, -1, 1.5]) {
      expect(() => commandStateFromNumber(bad)).toThrow(code('ERR_PAYLOAD_INVALID_ARGUMENT'));
    }
  });

  const states = [undefined, ...Object.keys(COMMAND_STATE_NUMBERS)] as (CommandState | undefined)[];
  const incoming: TransactionCommandType[] = [
    'REQUEST_ADDRESS_FOR_TRANSACTION',
    'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION',
    'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION',
    'REQUEST_TRANSACTION',
    'SEND_TRANSACTION',
    'DECLINE_REQUEST_TRANSACTION',
  ];

  it('follows the full transition table', () => {
    const expected = (
      current: CommandState | undefined,
      type: TransactionCommandType,
    ): CommandState | undefined => {
      if (type === 'REQUEST_ADDRESS_FOR_TRANSACTION') return 'REQUEST_ADDRESS_FOR_TRANSACTION';
      if (type === 'REQUEST_TRANSACTION') return 'REQUEST_TRANSACTION';
      if (type === 'SEND_TRANSACTION') return 'TRANSACTION_SENT';
      if (type === 'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION') {
        return current === 'REQUEST_ADDRESS_FOR_TRANSACTION'
          ? 'REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED'
          : undefined;
      }
      if (type === 'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION') {
        return current === 'REQUEST_ADDRESS_FOR_TRANSACTION'
          ? 'REQUEST_ADDRESS_FOR_TRANSACTION_DECLINED'
          : undefined;
      }
      return current === 'REQUEST_TRANSACTION' ? 'REQUEST_TRANSACTION_DECLINED' : undefined;
    };
    for (const current of states) {
      for (const type of incoming) {
        expect(nextCommandState(current, type), `${current} + ${type}`).toBe(expected(current, type));
      }
    }
  });

  it('walks the two request flows', () => {
    // Request an address, get it, then pay: the payment lands as TRANSACTION_SENT.
    let state = nextCommandState(undefined, 'REQUEST_ADDRESS_FOR_TRANSACTION');
    state = nextCommandState(state, 'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION');
    expect(state).toBe('REQUEST_ADDRESS_FOR_TRANSACTION_ACCEPTED');
    expect(nextCommandState(state, 'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION')).toBeUndefined();
    expect(nextCommandState(state, 'SEND_TRANSACTION')).toBe('TRANSACTION_SENT');
    // Request a payment and have it refused; a second refusal is "wrong state".
    const declined = nextCommandState(
      nextCommandState(undefined, 'REQUEST_TRANSACTION'),
      'DECLINE_REQUEST_TRANSACTION',
    );
    expect(declined).toBe('REQUEST_TRANSACTION_DECLINED');
    expect(nextCommandState(declined, 'DECLINE_REQUEST_TRANSACTION')).toBeUndefined();
    // A request for an address cannot be declined as a transaction request.
    expect(
      nextCommandState('REQUEST_ADDRESS_FOR_TRANSACTION', 'DECLINE_REQUEST_TRANSACTION'),
    ).toBeUndefined();
  });

  it('refuses a message type that is not a transaction command', () => {
    expect(() => nextCommandState(undefined, 'CHAT_MESSAGE' as TransactionCommandType)).toThrow(
      code('ERR_PAYLOAD_INVALID_ARGUMENT'),
    );
  });
});
