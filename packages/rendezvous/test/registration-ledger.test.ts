import { describe, expect, it } from 'vitest';
import { type CapacityLimits, RegistrationLedger } from '../src/registration-ledger.js';

const roomy: CapacityLimits = { maxRecords: 100, maxNamespaces: 100, maxRecordsPerIp: 100 };

function ledger(limits: Partial<CapacityLimits> = {}): RegistrationLedger {
  return new RegistrationLedger({ ...roomy, ...limits });
}

/** Admits or fails the test; returns the undo. */
function admitted(result: ReturnType<RegistrationLedger['admit']>): () => void {
  if (!('undo' in result)) throw new Error(`refused: ${result.refusal}`);
  return result.undo;
}

describe('RegistrationLedger', () => {
  it('counts records and namespaces', () => {
    const l = ledger();
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('a', 'n2', 'g2', 100, 0));
    admitted(l.admit('b', 'n1', 'g1', 100, 0));
    expect(l.records).toBe(3);
    expect(l.namespaces).toBe(2);
  });

  it('prune forgets a registration at its expiry time, not before', () => {
    const l = ledger();
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    l.prune(99);
    expect(l.records).toBe(1);
    l.prune(100);
    expect(l.records).toBe(0);
    expect(l.namespaces).toBe(0);
  });

  it('a registration repeated at its expiry time is new: its undo leaves nothing', () => {
    const l = ledger();
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    const undo = admitted(l.admit('a', 'n1', 'g1', 200, 100));
    undo();
    expect(l.records).toBe(0);
  });

  it('a refresh from the same group passes at the per-IP limit; its undo restores the old expiry', () => {
    const l = ledger({ maxRecordsPerIp: 1 });
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    const undo = admitted(l.admit('a', 'n1', 'g1', 200, 50));
    undo();
    expect(l.records).toBe(1);
    l.prune(150);
    expect(l.records).toBe(0);
  });

  it('a move to another group is checked against that group and frees the old one', () => {
    const l = ledger({ maxRecordsPerIp: 1 });
    admitted(l.admit('b', 'n2', 'g2', 100, 0));
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    expect(l.admit('a', 'n1', 'g2', 100, 0)).toEqual({ refusal: 'ipRecords' });
    admitted(l.admit('a', 'n1', 'g3', 100, 0));
    admitted(l.admit('c', 'n3', 'g1', 100, 0));
    expect(l.records).toBe(3);
    expect(l.namespaces).toBe(3);
  });

  it('a move adds no record and no namespace, so it passes when both are full', () => {
    const l = ledger({ maxRecords: 1, maxNamespaces: 1 });
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('a', 'n1', 'g2', 100, 0));
    expect(l.admit('b', 'n2', 'g3', 100, 0)).toEqual({ refusal: 'namespaces' });
    expect(l.admit('a', 'n2', 'g3', 100, 0)).toEqual({ refusal: 'records' });
    expect(l.records).toBe(1);
  });

  it('refuses a new namespace only once maxNamespaces are in use', () => {
    const l = ledger({ maxNamespaces: 2 });
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('b', 'n1', 'g1', 100, 0));
    expect(l.admit('c', 'n1', 'g1', 100, 0)).toEqual({ refusal: 'namespaces' });
    admitted(l.admit('a', 'n2', 'g2', 100, 0));
    expect(l.namespaces).toBe(2);
  });

  it('the undo of a move restores the previous registration and its group', () => {
    const l = ledger({ maxRecordsPerIp: 1 });
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('a', 'n1', 'g2', 100, 0))();
    expect(l.records).toBe(1);
    expect(l.admit('x', 'n2', 'g1', 100, 0)).toEqual({ refusal: 'ipRecords' });
    admitted(l.admit('y', 'n3', 'g2', 100, 0));
  });

  it('a late undo leaves a newer registration of the same (topic, node) alone', () => {
    const l = ledger({ maxRecordsPerIp: 1 });
    const first = admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('a', 'n1', 'g2', 100, 0));
    first();
    first();
    expect(l.records).toBe(1);
    expect(l.namespaces).toBe(1);
    expect(l.admit('b', 'n2', 'g2', 100, 0)).toEqual({ refusal: 'ipRecords' });
  });

  it('prunes expired registrations only when a limit would refuse', () => {
    const l = ledger({ maxRecords: 2 });
    admitted(l.admit('a', 'n1', 'g1', 100, 0));
    admitted(l.admit('a', 'n2', 'g2', 300, 200));
    // the expired one still holds its place: pruning is the cleaner's job while there is room
    expect(l.records).toBe(2);
    admitted(l.admit('a', 'n3', 'g3', 300, 200));
    expect(l.records).toBe(2);
  });
});
