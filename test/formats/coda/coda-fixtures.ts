import assert from 'node:assert/strict';
import type { CodaVerdict } from '../../../src/formats/coda/validate-coda.js';
import type { CodaStatementPlan } from '../../../src/sandbox/data/coda-plan.js';
import { planCodaStatements } from '../../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../../src/sandbox/data/coda-render.js';
import type { SandboxCompany } from '../../../src/sandbox/data/company.js';
import { generateCompany } from '../../../src/sandbox/data/company.js';
import { Random } from '../../../src/sandbox/data/random.js';

// Fixtures come from the sandbox generator and are then edited as text at the spec's 1-based
// positions. Expected values are written out or read from the records, never computed by the
// validator's own helpers.

export interface Range { fromDate: string; toDate: string }

export function companiesFor(seed: string): { company: SandboxCompany; counterparties: SandboxCompany[] } {
  const rnd = new Random(seed);
  const counterparties = Array.from({ length: 8 }, (_, i) => generateCompany(rnd.fork(`party:${i}`), 100 + i));
  return { company: generateCompany(rnd.fork('dossier'), 1), counterparties };
}

export function plansFor(seed: string, range: Range = { fromDate: '2025-03-03', toDate: '2025-04-30' }, openingBalanceCents = 250_000n): CodaStatementPlan[] {
  const { company, counterparties } = companiesFor(seed);
  return planCodaStatements(new Random(seed).fork('coda'), company, { ...range, openingBalanceCents, counterparties });
}

/** The records of a CRLF file, without terminators. */
export function recordsOf(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  assert.ok(text.endsWith('\r\n'));
  return text.slice(0, -2).split('\r\n');
}

export const fileOf = (records: readonly string[], eol = '\r\n'): Buffer => Buffer.from(records.map((r) => r + eol).join(''), 'latin1');

/** Field at 1-based inclusive positions, as printed in Annexe I. */
export const field = (record: string, from: number, to = from): string => record.slice(from - 1, to);

/** Overwrites a record from 1-based position `from` on, keeping its length. */
export function put(record: string, from: number, value: string): string {
  assert.ok(from - 1 + value.length <= record.length, `field ending at ${from - 1 + value.length} inside a ${record.length}-character record`);
  return record.slice(0, from - 1) + value + record.slice(from - 1 + value.length);
}

export const kindOf = (record: string): string => (record[0] === '2' || record[0] === '3' ? record.slice(0, 2) : record.slice(0, 1));

/** Index of the first record for which `test` holds; fails the test when there is none. */
export function indexOf(records: readonly string[], test: (record: string, i: number) => boolean): number {
  const i = records.findIndex(test);
  assert.ok(i >= 0, 'the fixture holds the record the test needs');
  return i;
}

/** A copy of the file's records edited by `edit`. */
export function edited(bytes: Buffer, edit: (records: string[]) => void): Buffer {
  const records = recordsOf(bytes);
  edit(records);
  return fileOf(records);
}

/** Another digit in the same place: the value changes, the field stays numeric. */
export const otherDigit = (digit: string): string => String((Number(digit) + 1) % 10);

export const errorCodes = (v: CodaVerdict): string[] => [...new Set(v.errors.map((f) => f.code))].sort();
export const warningCodes = (v: CodaVerdict): string[] => [...new Set(v.warnings.map((f) => f.code))].sort();

/** Generated statements with movements, read from their rendered records. */
function kindsOf(plan: CodaStatementPlan): Set<string> {
  return new Set(recordsOf(renderCoda([plan])).map(kindOf));
}

/**
 * A statement holding records 21, 22, 23, 31 and 32, a 101 structured communication, a debit and a
 * credit, found among generated days; deterministic because the generator is seeded.
 */
export function richPlan(): CodaStatementPlan {
  for (const seed of ['rich-a', 'rich-b', 'rich-c', 'rich-d']) {
    for (const plan of plansFor(seed)) {
      const kinds = kindsOf(plan);
      const structured = plan.movements.some((m) => m.communication.structured);
      const debit = plan.movements.some((m) => m.amountCents < 0n);
      const credit = plan.movements.some((m) => m.amountCents > 0n);
      if (structured && debit && credit && ['21', '22', '23', '31', '32'].every((k) => kinds.has(k))) return plan;
    }
  }
  throw new Error('no generated statement holds every record kind');
}

export const richFile = (): Buffer => renderCoda([richPlan()]);
