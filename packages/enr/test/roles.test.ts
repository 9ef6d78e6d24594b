import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES_KEY,
  capabilitiesOf,
  Enr,
  EnrErrorCode,
  hasRole,
  MAX_ROLES,
  ROLES_KEY,
  roleEntries,
  rolesOf,
  StatusTopic,
  withRoles,
} from '../src/index.js';

describe('Status roles in ENR entries', () => {
  const key = generatePrivateKey();
  const base = Enr.create({ privateKey: key, ip: '10.0.0.1', udp: 30303, tcp: 30303 });

  it('withRoles re-signs with a higher seq; rolesOf/capabilitiesOf read them back', () => {
    const enr = withRoles(base, key, {
      roles: [StatusTopic.Relayer, StatusTopic.Mailserver],
      capabilities: [
        { name: 'waku', version: 1 },
        { name: 'shh', version: 6 },
      ],
    });
    expect(enr.seq).toBe(base.seq + 1n);
    expect(rolesOf(enr)).toEqual(['whisper', 'whispermail']);
    expect(hasRole(enr, 'whispermail')).toBe(true);
    expect(capabilitiesOf(enr)).toEqual([
      { name: 'waku', version: 1 },
      { name: 'shh', version: 6 },
    ]);
    // The entries survive the wire: decode the text form.
    const decoded = Enr.decodeText(enr.encodeText());
    expect(rolesOf(decoded)).toEqual(['whisper', 'whispermail']);
    expect(enr.size).toBeLessThanOrEqual(300);
    // Removing: absent parts are removed.
    const plain = withRoles(enr, key, {});
    expect(plain.has(ROLES_KEY) || plain.has(CAPABILITIES_KEY)).toBe(false);
    expect(rolesOf(plain)).toEqual([]);
  });

  it('the exact encoding: status = [role...], caps = [[name, version]...]', () => {
    const entries = roleEntries({ roles: ['whisper'], capabilities: [{ name: 'waku', version: 1 }] });
    expect(entries).toEqual({
      status: [new TextEncoder().encode('whisper')],
      caps: [[new TextEncoder().encode('waku'), Uint8Array.of(1)]],
    });
  });

  it('remote records with malformed entries give no roles instead of throwing', () => {
    const odd = Enr.create({
      privateKey: key,
      entries: { status: new Uint8Array([1, 2]), caps: [[new Uint8Array(0)]] },
    });
    expect(rolesOf(odd)).toEqual([]);
    expect(capabilitiesOf(odd)).toEqual([]);
    const mixed = Enr.create({
      privateKey: key,
      entries: { status: [[], new TextEncoder().encode('whisper'), new Uint8Array([0xff])] },
    });
    expect(rolesOf(mixed)).toEqual(['whisper']);
  });

  it(`limits: at most MAX_ROLES (${MAX_ROLES}) roles, names lowercase ASCII up to 32 chars`, () => {
    const bad = (fn: () => unknown) =>
      expect(fn).toThrowError(expect.objectContaining({ code: EnrErrorCode.InvalidValue }));
    bad(() => roleEntries({ roles: Array.from({ length: MAX_ROLES + 1 }, (_, i) => `r${i}`) }));
    bad(() => roleEntries({ roles: ['Whisper'] }));
    bad(() => roleEntries({ roles: ['x'.repeat(33)] }));
    bad(() => roleEntries({ capabilities: [{ name: 'waku', version: -1 }] }));
    expect(Object.keys(roleEntries({ roles: Array.from({ length: MAX_ROLES }, (_, i) => `r${i}`) }))).toEqual(
      ['status'],
    );
  });
});
