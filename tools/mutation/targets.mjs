// The files mutation testing covers per package: the wire codecs and the limits (issue 19). Hash and curve
// implementations, stores and node orchestration are left out: the conformance vectors and integration tests
// cover them, and their mutants would multiply the run time without testing a codec or a limit.
export const MUTATION_TARGETS = {
  crypto: [
    'src/ecies.ts',
    'src/aes-ctr.ts',
    'src/aes-gcm.ts',
    'src/aes-ecb.ts',
    'src/symmetric.ts',
    'src/keystore.ts',
    'src/secp256k1.ts',
  ],
  enr: ['src/rlp/*.ts', 'src/enr/*.ts', 'src/enode.ts', 'src/base64url.ts', 'src/ip.ts', 'src/roles.ts'],
  devp2p: [
    'src/rlpx/*.ts',
    'src/p2p/hello.ts',
    'src/p2p/disconnect.ts',
    'src/p2p/messages.ts',
    'src/p2p/snappy.ts',
    'src/p2p/snappy-encode.ts',
    'src/p2p/capabilities.ts',
    'src/p2p/limits.ts',
    'src/p2p/message-queue.ts',
    'src/inbound-gate.ts',
  ],
  waku: [
    'src/envelope/*.ts',
    'src/wire/*.ts',
    'src/payload/*.ts',
    'src/topics.ts',
    'src/node/rate-limiter.ts',
    'src/node/token-bucket.ts',
    'src/node/pool.ts',
    'src/node/pow-heap.ts',
    'src/node/requirements.ts',
    'src/node/interest.ts',
  ],
  mailserver: [
    'src/request.ts',
    'src/key.ts',
    'src/serve-page.ts',
    'src/batches.ts',
    'src/client-guard.ts',
    'src/client-gate.ts',
    'src/server-load.ts',
    'src/store/matching.ts',
  ],
  discv5: [
    'src/packet/*.ts',
    'src/messages.ts',
    'src/session/*.ts',
    'src/table/distance.ts',
    'src/node/limits.ts',
    'src/node/rate-limiter.ts',
    'src/node/endpoint-votes.ts',
    'src/node/pack-nodes.ts',
  ],
  'dns-discovery': [
    'src/entries.ts',
    'src/base32.ts',
    'src/hash.ts',
    'src/root.ts',
    'src/url.ts',
    'src/walk.ts',
    'src/zone.ts',
    'src/dns-wire.ts',
    'src/doh-resolver.ts',
  ],
  rendezvous: [
    'src/messages.ts',
    'src/framing.ts',
    'src/rate-limiter.ts',
    'src/registration-ledger.ts',
    'src/namespace.ts',
  ],
  'secure-transport': [
    'src/codec.ts',
    'src/bundle.ts',
    'src/x3dh.ts',
    'src/ratchet.ts',
    'src/ratchet-state.ts',
    'src/ratchet-crypto.ts',
    'src/topics.ts',
    'src/installation-cap.ts',
    'src/store/validate.ts',
  ],
  mvds: [
    'src/payload.ts',
    'src/split.ts',
    'src/wire-size.ts',
    'src/backoff.ts',
    'src/message.ts',
    'src/ids.ts',
  ],
};

// Test files left out of a package's mutation runs. Socket-level end-to-end and interop suites drive the codecs
// from servers, timers and socket events that run between tests, so Stryker cannot tell which test covered a
// mutant: each of their mutants would run the whole suite (hours per package). Leaving them out can only lower
// the score (a mutant they alone would kill counts as survived), so the printed score is a lower bound; the
// codecs and limits they cover have unit tests of their own.
const SOCKET_SUITES = ['test/**/*.e2e.test.ts', 'test/**/*.interop.test.ts'];
export const MUTATION_TEST_EXCLUDES = {
  devp2p: SOCKET_SUITES,
  waku: SOCKET_SUITES,
  discv5: [...SOCKET_SUITES, 'test/simulation.test.ts'],
  mailserver: SOCKET_SUITES,
};
