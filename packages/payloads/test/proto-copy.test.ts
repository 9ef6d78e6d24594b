import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vectorPath } from '../../../tools/vectors.js';

// proto/ (the input of src/generated/, shipped in the package) is a verbatim copy of the reference schemas
// in vectors/proto/status/ (status-go v0.62.0): the two must never drift apart.
describe('proto/', () => {
  const ours = fileURLToPath(new URL('../proto/', import.meta.url));

  it('holds exactly the reference .proto files of vectors/proto/status/, byte for byte', () => {
    const files = readdirSync(ours)
      .filter((file) => file.endsWith('.proto'))
      .sort();
    const reference = readdirSync(vectorPath('proto/status'))
      .filter((file) => file.endsWith('.proto'))
      .sort();
    expect(files).toEqual(reference);
    for (const file of files) {
      expect(readFileSync(`${ours}${file}`, 'utf8'), file).toBe(
        readFileSync(vectorPath(`proto/status/${file}`), 'utf8'),
      );
    }
  });
});
