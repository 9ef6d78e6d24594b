export { rlpToBigInt, rlpToBool, rlpToBytes, rlpToList, rlpToUint, rlpToUtf8 } from './accessors.js';
export {
  type RlpDecodeOptions,
  type RlpHeader,
  type RlpItem,
  rlpDecode,
  rlpDecodeFirst,
  rlpDecodeHeader,
} from './decode.js';
export {
  type RlpEncodeOptions,
  type RlpInput,
  RlpRaw,
  rlpEncode,
  rlpListHeader,
  rlpRaw,
} from './encode.js';
export { RLP_DEFAULT_MAX_DEPTH, RLP_DEFAULT_MAX_ITEMS } from './limits.js';
