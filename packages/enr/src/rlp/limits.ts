/**
 * Default resource limits of the RLP decoder. Both are overridable per call (`RlpDecodeOptions`); they keep a
 * hostile packet from allocating millions of objects or nesting without bound. Real protocol messages stay far
 * below them: devp2p, Waku and discv5 structures nest at most 5 levels.
 */
export const RLP_DEFAULT_MAX_DEPTH = 64;

/** Default cap on decoded items (byte strings plus lists, the outermost included) per decode call. */
export const RLP_DEFAULT_MAX_ITEMS = 1 << 20;
