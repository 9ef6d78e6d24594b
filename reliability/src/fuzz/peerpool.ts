import { normaliseId, targetId, targetRecord } from '@status-ts/peerpool';
import { JSON_CACHE_VERSION, parseCacheFile } from '@status-ts/peerpool/json-file';
import fc from 'fast-check';
import { BASE64URL, HEX, jsonTextFrom, jsonValueFrom, textFrom } from './arbitraries.js';
import { nodeUrlArb, recordTexts } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

// The peer cache file as the node writes it: topics to records with their last-seen times.
const cacheFileArb = fc
  .record({
    topics: fc.dictionary(
      fc.constantFrom('whisper', 'whispermail', 'les', '__proto__', 'constructor'),
      fc.array(fc.record({ enr: fc.constantFrom(...recordTexts), at: fc.nat() }), { maxLength: 3 }),
      { maxKeys: 3 },
    ),
  })
  .map((f) => ({ version: JSON_CACHE_VERSION, ...f }));

export const peerpoolEntries: FuzzEntry[] = layer('peerpool', [
  entry({
    name: 'parseCacheFile (json-file entry)',
    arbitrary: fc.tuple(
      fc.oneof(
        jsonTextFrom(cacheFileArb),
        jsonValueFrom(cacheFileArb).map((v) => JSON.stringify(v) ?? ''),
      ),
      fc.constantFrom(0, 2, 10),
    ),
    how: 'random JSON, edited cache files, cache files with one node replaced, several per-topic limits',
    decode: ([text, limit]) => parseCacheFile(text, limit),
    slow: { share: 0.3, why: 'signature check per intact record' },
  }),
  entry({
    name: 'targetId (text)',
    arbitrary: textFrom(nodeUrlArb, `${HEX}${BASE64URL}@:[]?=.`, 200),
    how: 'random text, edited enode URLs and enr: texts',
    decode: (text) => targetId(text),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
  entry({
    name: 'targetRecord (text)',
    arbitrary: textFrom(nodeUrlArb, `${HEX}${BASE64URL}@:[]?=.`, 200),
    how: 'random text, edited enode URLs and enr: texts',
    decode: (text) => targetRecord(text),
  }),
  entry({
    name: 'normaliseId (text)',
    arbitrary: fc.string({ maxLength: 140, unit: 'binary' }),
    how: 'random text',
    decode: (text) => normaliseId(text),
  }),
]);
