import { create } from '@bufbuild/protobuf';
import { validateClock } from '../clock.js';
import { checkText, goParsesFloat64, isGoBlank } from '../go-text.js';
import {
  AcceptRequestAddressForTransactionSchema,
  DeclineRequestAddressForTransactionSchema,
  DeclineRequestTransactionSchema,
  RequestAddressForTransactionSchema,
  RequestTransactionSchema,
  SendTransactionSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import {
  decodeMessage,
  encodeMessage,
  invalidField,
  type MessageDecodeOptions,
  requireClock,
  requireNonEmpty,
} from './codec.js';

// The wallet commands of 1:1 chats. Each is its own application message type; status-go turns the
// requests into chat messages of content type TRANSACTION_COMMAND on receipt and updates them as the
// answers arrive (see nextCommandState). Every validator below is the one of
// protocol/message_validator.go; each encoder refuses, with the same ERR_PAYLOAD_INVALID_FIELD, what its
// validator would, except the clock drift rule which needs the envelope time.

/** REQUEST_ADDRESS_FOR_TRANSACTION: asks the peer for an address to send `value` to. */
export interface RequestAddressForTransaction {
  readonly clock: number;
  /** Amount as a decimal string (status-go requires Go's ParseFloat to accept it). */
  readonly value: string;
  /** ERC-20 contract address, or '' for ether. */
  readonly contract: string;
}

/** ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION: the address asked for. */
export interface AcceptRequestAddressForTransaction {
  readonly clock: number;
  /** Message id of the request being answered. */
  readonly id: string;
  readonly address: string;
}

/** DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION: refuses a RequestAddressForTransaction. */
export interface DeclineRequestAddressForTransaction {
  readonly clock: number;
  /** Message id of the request being refused. */
  readonly id: string;
}

/** DECLINE_REQUEST_TRANSACTION: refuses a RequestTransaction. */
export interface DeclineRequestTransaction {
  readonly clock: number;
  /** Message id of the request being refused. */
  readonly id: string;
}

/** REQUEST_TRANSACTION: asks the peer to send `value` to `address`. */
export interface RequestTransaction {
  readonly clock: number;
  readonly address: string;
  /** Amount as a decimal string (status-go requires Go's ParseFloat to accept it). */
  readonly value: string;
  /** ERC-20 contract address, or '' for ether. */
  readonly contract: string;
}

/** SEND_TRANSACTION: tells the peer a transaction was sent, answering a request (`id`) or not (''). */
export interface SendTransaction {
  readonly clock: number;
  /** Message id of the request it answers, or '' for an unrequested payment. */
  readonly id: string;
  /** `0x` + hex of the transaction hash. */
  readonly transactionHash: string;
  /** The sender wallet's signature over its chat key and the hash (made and checked outside this package). */
  readonly signature: Uint8Array;
}

function checkValue(value: string): void {
  if (isGoBlank(value)) throw invalidField('value', "value can't be empty");
}

function checkParsesAsFloat(value: string): void {
  if (!goParsesFloat64(value)) {
    throw invalidField(
      'value',
      `value ${JSON.stringify(value.slice(0, 64))} is not a number Go's ParseFloat accepts`,
    );
  }
}

function checkAddress(address: string): void {
  if (isGoBlank(address)) throw invalidField('address', "address can't be empty");
}

function checkRequestAddressForTransaction(message: RequestAddressForTransaction): void {
  checkValue(message.value);
  checkParsesAsFloat(message.value);
}

function checkRequestTransaction(message: RequestTransaction): void {
  checkValue(message.value);
  checkAddress(message.address);
  checkParsesAsFloat(message.value);
}

function checkAcceptRequestAddressForTransaction(message: AcceptRequestAddressForTransaction): void {
  requireNonEmpty(message.id, 'id');
  checkAddress(message.address);
}

function checkSendTransaction(message: SendTransaction): void {
  if (isGoBlank(message.transactionHash))
    throw invalidField('transactionHash', "transaction hash can't be empty");
  // status-go refuses a nil signature; proto3 cannot tell an absent one from an empty one, and Go's
  // encoder never writes an empty one, so empty is refused.
  if (message.signature.length === 0) throw invalidField('signature', "signature can't be empty");
}

/**
 * ValidateReceivedRequestAddressForTransaction: clock rule; value not blank (Go TrimSpace) and accepted by
 * Go's ParseFloat as it is (no surrounding space, no overflow).
 */
export function validateRequestAddressForTransaction(
  message: RequestAddressForTransaction,
  envelopeTimeMs: number,
): void {
  validateClock(message.clock, envelopeTimeMs);
  checkRequestAddressForTransaction(message);
}

/** ValidateReceivedRequestTransaction: clock rule; value and address not blank; value parses as a float. */
export function validateRequestTransaction(message: RequestTransaction, envelopeTimeMs: number): void {
  validateClock(message.clock, envelopeTimeMs);
  checkRequestTransaction(message);
}

/** ValidateReceivedAcceptRequestAddressForTransaction: clock rule; id not empty; address not blank. */
export function validateAcceptRequestAddressForTransaction(
  message: AcceptRequestAddressForTransaction,
  envelopeTimeMs: number,
): void {
  validateClock(message.clock, envelopeTimeMs);
  checkAcceptRequestAddressForTransaction(message);
}

/** ValidateReceivedDeclineRequestAddressForTransaction: clock rule; id not empty. */
export function validateDeclineRequestAddressForTransaction(
  message: DeclineRequestAddressForTransaction,
  envelopeTimeMs: number,
): void {
  validateClock(message.clock, envelopeTimeMs);
  requireNonEmpty(message.id, 'id');
}

/** ValidateReceivedDeclineRequestTransaction: clock rule; id not empty. */
export function validateDeclineRequestTransaction(
  message: DeclineRequestTransaction,
  envelopeTimeMs: number,
): void {
  validateClock(message.clock, envelopeTimeMs);
  requireNonEmpty(message.id, 'id');
}

/**
 * ValidateReceivedSendTransaction: clock rule; transaction hash not blank; a signature present. The id
 * may be empty (a payment nobody asked for). Whether hash and signature are right is checked later,
 * against the chain, by the wallet.
 */
export function validateSendTransaction(message: SendTransaction, envelopeTimeMs: number): void {
  validateClock(message.clock, envelopeTimeMs);
  checkSendTransaction(message);
}

/** Serializes a RequestAddressForTransaction; refuses what its validator would. */
export function encodeRequestAddressForTransaction(message: RequestAddressForTransaction): Uint8Array {
  requireClock(message.clock);
  checkRequestAddressForTransaction(message);
  checkText(message.contract, 'contract');
  return encodeMessage(
    RequestAddressForTransactionSchema,
    create(RequestAddressForTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      value: message.value,
      contract: message.contract,
    }),
  );
}

/** Parses a RequestAddressForTransaction; unknown fields are skipped. */
export function decodeRequestAddressForTransaction(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): RequestAddressForTransaction {
  const message = decodeMessage(RequestAddressForTransactionSchema, bytes, options);
  return { clock: uint64ToNumber(message.clock, 'clock'), value: message.value, contract: message.contract };
}

/** Serializes an AcceptRequestAddressForTransaction; refuses what its validator would. */
export function encodeAcceptRequestAddressForTransaction(
  message: AcceptRequestAddressForTransaction,
): Uint8Array {
  requireClock(message.clock);
  checkAcceptRequestAddressForTransaction(message);
  checkText(message.id, 'id');
  checkText(message.address, 'address');
  return encodeMessage(
    AcceptRequestAddressForTransactionSchema,
    create(AcceptRequestAddressForTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      id: message.id,
      address: message.address,
    }),
  );
}

/** Parses an AcceptRequestAddressForTransaction; unknown fields are skipped. */
export function decodeAcceptRequestAddressForTransaction(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): AcceptRequestAddressForTransaction {
  const message = decodeMessage(AcceptRequestAddressForTransactionSchema, bytes, options);
  return { clock: uint64ToNumber(message.clock, 'clock'), id: message.id, address: message.address };
}

/** Serializes a DeclineRequestAddressForTransaction; refuses what its validator would. */
export function encodeDeclineRequestAddressForTransaction(
  message: DeclineRequestAddressForTransaction,
): Uint8Array {
  requireClock(message.clock);
  requireNonEmpty(message.id, 'id');
  checkText(message.id, 'id');
  return encodeMessage(
    DeclineRequestAddressForTransactionSchema,
    create(DeclineRequestAddressForTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      id: message.id,
    }),
  );
}

/** Parses a DeclineRequestAddressForTransaction; unknown fields are skipped. */
export function decodeDeclineRequestAddressForTransaction(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): DeclineRequestAddressForTransaction {
  const message = decodeMessage(DeclineRequestAddressForTransactionSchema, bytes, options);
  return { clock: uint64ToNumber(message.clock, 'clock'), id: message.id };
}

/** Serializes a DeclineRequestTransaction; refuses what its validator would. */
export function encodeDeclineRequestTransaction(message: DeclineRequestTransaction): Uint8Array {
  requireClock(message.clock);
  requireNonEmpty(message.id, 'id');
  checkText(message.id, 'id');
  return encodeMessage(
    DeclineRequestTransactionSchema,
    create(DeclineRequestTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      id: message.id,
    }),
  );
}

/** Parses a DeclineRequestTransaction; unknown fields are skipped. */
export function decodeDeclineRequestTransaction(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): DeclineRequestTransaction {
  const message = decodeMessage(DeclineRequestTransactionSchema, bytes, options);
  return { clock: uint64ToNumber(message.clock, 'clock'), id: message.id };
}

/** Serializes a RequestTransaction; refuses what its validator would. */
export function encodeRequestTransaction(message: RequestTransaction): Uint8Array {
  requireClock(message.clock);
  checkRequestTransaction(message);
  checkText(message.address, 'address');
  checkText(message.contract, 'contract');
  return encodeMessage(
    RequestTransactionSchema,
    create(RequestTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      address: message.address,
      value: message.value,
      contract: message.contract,
    }),
  );
}

/** Parses a RequestTransaction; unknown fields are skipped. */
export function decodeRequestTransaction(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): RequestTransaction {
  const message = decodeMessage(RequestTransactionSchema, bytes, options);
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    address: message.address,
    value: message.value,
    contract: message.contract,
  };
}

/** Serializes a SendTransaction; refuses what its validator would. */
export function encodeSendTransaction(message: SendTransaction): Uint8Array {
  requireClock(message.clock);
  checkSendTransaction(message);
  checkText(message.id, 'id');
  checkText(message.transactionHash, 'transactionHash');
  return encodeMessage(
    SendTransactionSchema,
    create(SendTransactionSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      id: message.id,
      transactionHash: message.transactionHash,
      signature: message.signature,
    }),
  );
}

/** Parses a SendTransaction; unknown fields are skipped. */
export function decodeSendTransaction(bytes: Uint8Array, options?: MessageDecodeOptions): SendTransaction {
  const message = decodeMessage(SendTransactionSchema, bytes, options);
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    id: message.id,
    transactionHash: message.transactionHash,
    signature: message.signature,
  };
}
