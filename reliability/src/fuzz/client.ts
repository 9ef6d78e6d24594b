import { fleetFromJson, publicMessageWrapper } from '@status-ts/client';
import fc from 'fast-check';
import { jsonTextFrom, jsonValueFrom, protoFrom } from './arbitraries.js';
import { enodeUrls, recordTexts } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';
import { protocolMessageArb, protocolMessageSchema } from './secure-transport.js';

// fleets.json as status-go publishes it: fleets by name, each with node groups of URLs by host name.
const urls = [...enodeUrls, ...recordTexts];
const group = fc.dictionary(fc.constantFrom('node-01', 'node-02', 'boot-01'), fc.constantFrom(...urls), {
  maxKeys: 3,
});
const fleetsArb = fc.record({
  fleets: fc.dictionary(
    fc.constantFrom('eth.prod', 'eth.staging', 'x'),
    fc.record({ boot: group, mail: group, whisper: group, rendezvous: group }, { requiredKeys: [] }),
    { maxKeys: 2 },
  ),
});

export const clientEntries: FuzzEntry[] = layer('client', [
  entry({
    name: 'fleetFromJson (fleets.json text)',
    arbitrary: fc.tuple(
      fc.oneof(
        jsonTextFrom(fleetsArb),
        jsonValueFrom(fleetsArb).map((v) => JSON.stringify(v) ?? ''),
      ),
      fc.constantFrom('eth.prod', 'x', '__proto__'),
    ),
    how: 'random JSON, edited fleet files, fleet files with one node replaced',
    decode: ([text, name]) => fleetFromJson(text, name),
    slow: { share: 0.3, why: 'signature check per intact enr: record' },
  }),
  entry({
    name: 'publicMessageWrapper (public chat payload)',
    arbitrary: protoFrom(protocolMessageSchema, protocolMessageArb),
    how: 'random bytes, protobuf-shaped ProtocolMessages, mutated ProtocolMessages',
    decode: (bytes) => publicMessageWrapper(bytes),
  }),
]);
