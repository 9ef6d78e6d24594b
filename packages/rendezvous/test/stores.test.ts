import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRegistrationStore } from '../src/index.js';
import { SqliteRegistrationStore } from '../src/sqlite/index.js';
import { testEnr } from './helpers/fixtures.js';
import { registrationStoreContract } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'rendezvous-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

registrationStoreContract('memory', async () => new MemoryRegistrationStore());
registrationStoreContract(
  'sqlite (file)',
  async () => new SqliteRegistrationStore({ path: join(dir, `store-${files++}.db`) }),
);

describe('SqliteRegistrationStore', () => {
  it('keeps live registrations across a reopen of the same file', async () => {
    const path = join(dir, 'reopen.db');
    const record = testEnr();
    const first = new SqliteRegistrationStore({ path });
    await first.put({
      topic: 'whisper',
      nodeId: record.nodeIdHex,
      seq: record.seq,
      record: record.encode(),
      expiresAt: 5_000,
    });
    await first.close();
    const second = new SqliteRegistrationStore({ path });
    expect(await second.random('whisper', 10, 1_000)).toEqual([record.encode()]);
    expect(await second.random('whisper', 10, 5_000)).toEqual([]);
    await second.close();
  });
});
