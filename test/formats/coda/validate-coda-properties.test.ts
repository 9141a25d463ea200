import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import type { CodaStatementPlan } from '../../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../../src/sandbox/data/coda-render.js';
import { Random } from '../../../src/sandbox/data/random.js';
import { errorCodes, field, fileOf, kindOf, otherDigit, plansFor, put, recordsOf, warningCodes } from './coda-fixtures.js';

// Property tests: every generated statement passes, alone or many to a physical file, across seeds,
// negative balances and the year end; and each single mutation yields exactly the expected codes.

const SEEDS = ['prop-north', 'prop-south', 'prop-east', 'prop-west'];
const RANGES = [{ fromDate: '2024-12-02', toDate: '2025-01-31' }, { fromDate: '2025-06-02', toDate: '2025-07-25' }];
const OPENING = [-150_000n, 1_234_567n];

const SCENARIOS = SEEDS.flatMap((seed, s) => RANGES.map((range, r) => ({
  name: `${seed} ${range.fromDate}`, plans: plansFor(seed, range, OPENING[(s + r) % OPENING.length]!),
})));

/** Cents as the 3-decimal string of the verdict, written independently of the validator's formatting. */
function thousandths(cents: bigint): string {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}0`;
}

function expectedSummary(plan: CodaStatementPlan): object {
  return {
    account: plan.company.iban, currency: 'EUR', sequence: String(plan.sequence).padStart(3, '0'),
    oldBalance: thousandths(plan.oldBalanceCents), newBalance: thousandths(plan.newBalanceCents),
    oldBalanceDate: plan.oldBalanceDate, newBalanceDate: plan.newBalanceDate, movements: plan.movements.length,
  };
}

test('every generated statement is valid without findings and summarised like its plan', () => {
  let negative = 0;
  let yearRestarts = 0;
  for (const { plans } of SCENARIOS) {
    plans.forEach((plan, i) => {
      const verdict = validateCoda(renderCoda([plan]));
      assert.deepEqual([verdict.errors, verdict.warnings], [[], []], `statement ${plan.sequence} of ${plan.company.name}`);
      assert.deepEqual(verdict.statements, [expectedSummary(plan)]);
      if (plan.oldBalanceCents < 0n || plan.newBalanceCents < 0n) negative++;
      if (i > 0 && plan.sequence === 1) yearRestarts++;
    });
  }
  assert.ok(negative > 0, 'some balances are debit balances');
  assert.ok(yearRestarts >= SEEDS.length, 'every year-crossing range restarts its sequence');
});

test('files holding all statements of a range are valid and list every statement in order', () => {
  for (const { name, plans } of SCENARIOS) {
    const verdict = validateCoda(renderCoda(plans));
    assert.deepEqual([verdict.errors, verdict.warnings], [[], []], name);
    assert.deepEqual(verdict.statements, plans.map(expectedSummary));
  }
});

interface Mutation {
  name: string;
  /** Edits the records in place and returns the error codes expected; null when there is nothing to mutate. */
  apply: (records: string[], rnd: Random) => string[] | null;
  warnings?: string[];
}

const movementsOf = (records: string[]): number[] =>
  records.flatMap((r, i) => (kindOf(r) === '21' && field(r, 7, 10) === '0000' ? [i] : []));

const MUTATIONS: Mutation[] = [
  {
    name: 'drop a character from a record',
    apply: (records, rnd) => {
      const i = rnd.int(0, records.length - 1);
      const p = rnd.int(2, 127);
      records[i] = records[i]!.slice(0, p) + records[i]!.slice(p + 1);
      return ['CODA-LENGTH'];
    },
  },
  {
    name: 'change an amount digit of a movement',
    apply: (records, rnd) => {
      const i = rnd.pick(movementsOf(records));
      const p = rnd.int(33, 47);
      records[i] = put(records[i]!, p, otherDigit(field(records[i]!, p)));
      return ['CODA-BALANCE', field(records[i]!, 32) === '1' ? 'CODA-TRAILER-DEBIT' : 'CODA-TRAILER-CREDIT'];
    },
  },
  {
    name: 'change the trailer count',
    apply: (records) => {
      const last = records.length - 1;
      records[last] = put(records[last]!, 22, otherDigit(field(records[last]!, 22)));
      return ['CODA-TRAILER-COUNT'];
    },
  },
  {
    name: "change a digit of record 8's account",
    apply: (records, rnd) => {
      const i = records.findIndex((r) => kindOf(r) === '8');
      const p = rnd.int(9, 20);
      records[i] = put(records[i]!, p, otherDigit(field(records[i]!, p)));
      return ['CODA-ACCOUNT'];
    },
  },
  {
    name: 'flip the sign of a movement',
    apply: (records, rnd) => {
      const i = rnd.pick(movementsOf(records));
      records[i] = put(records[i]!, 32, field(records[i]!, 32) === '1' ? '0' : '1');
      return ['CODA-BALANCE', 'CODA-TRAILER-CREDIT', 'CODA-TRAILER-DEBIT'];
    },
  },
  {
    name: 'flip the sign of a non-zero new balance',
    apply: (records) => {
      const i = records.findIndex((r) => kindOf(r) === '8');
      if (/^0+$/.test(field(records[i]!, 43, 57))) return null;
      records[i] = put(records[i]!, 42, field(records[i]!, 42) === '1' ? '0' : '1');
      return ['CODA-BALANCE'];
    },
  },
  {
    name: "break a 101 communication's check digits",
    apply: (records) => {
      const i = records.findIndex((r) => kindOf(r) === '21' && field(r, 62, 65) === '1101');
      if (i < 0) return null;
      records[i] = put(records[i]!, 77, otherDigit(field(records[i]!, 77)));
      return [];
    },
    warnings: ['CODA-STRUCTURED-COMMUNICATION'],
  },
  {
    name: 'set the duplicate flag',
    apply: (records) => {
      records[0] = put(records[0]!, 17, 'D');
      return [];
    },
    warnings: ['CODA-DUPLICATE'],
  },
];

test('each single mutation of a generated statement yields exactly the expected codes', () => {
  const rnd = new Random('mutations');
  const seen = new Map<string, number>();
  for (const { name, plans } of SCENARIOS) {
    for (const plan of Array.from({ length: 4 }, () => rnd.pick(plans))) {
      const original = recordsOf(renderCoda([plan]));
      for (const mutation of MUTATIONS) {
        const records = [...original];
        const expected = mutation.apply(records, rnd);
        if (expected === null) continue;
        const verdict = validateCoda(fileOf(records));
        const label = `${mutation.name} in ${name}, statement ${plan.sequence}`;
        // A record cut short loses its positions: CODA-LENGTH is certain, follow-up findings may vary.
        if (mutation.name.startsWith('drop')) assert.ok(errorCodes(verdict).includes('CODA-LENGTH'), label);
        else assert.deepEqual(errorCodes(verdict), [...expected].sort(), label);
        if (mutation.warnings) assert.deepEqual(warningCodes(verdict), mutation.warnings, label);
        seen.set(mutation.name, (seen.get(mutation.name) ?? 0) + 1);
      }
    }
  }
  for (const mutation of MUTATIONS) assert.ok((seen.get(mutation.name) ?? 0) >= 5, `${mutation.name} was tried`);
});

test('a name with é written as UTF-8 instead of Latin-1 is an encoding error', () => {
  for (const { plans } of SCENARIOS) {
    const records = recordsOf(renderCoda([plans[0]!]));
    const header = put(records[0]!, 35, 'Boulangerie Dupré SRL'.padEnd(26));
    const bytes = Buffer.concat([Buffer.from(`${header}\r\n`, 'utf8'), fileOf(records.slice(1))]);
    assert.deepEqual(errorCodes(validateCoda(bytes)), ['CODA-ENCODING', 'CODA-LENGTH']);
  }
});
