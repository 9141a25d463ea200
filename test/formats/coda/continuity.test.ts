import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkContinuity } from '../../../src/formats/coda/continuity.js';
import type { CodaStatementSummary, CodaVerdict } from '../../../src/formats/coda/validate-coda.js';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import type { CodaStatementPlan } from '../../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../../src/sandbox/data/coda-render.js';
import { Random } from '../../../src/sandbox/data/random.js';
import { plansFor } from './coda-fixtures.js';

// coda.md §2 step 8: per account, CODA sequence numbers go +1 (restarting at 001 in January), the old
// balance is the previous new balance and the old-balance date the previous new-balance date.

const plans = plansFor('continuity', { fromDate: '2024-12-02', toDate: '2025-01-24' }, -75_000n);
const nameOf = (plan: CodaStatementPlan): string => `${plan.company.iban}_${plan.newBalanceDate}_${String(plan.sequence).padStart(3, '0')}.cod`;
const filesOf = (list: CodaStatementPlan[]) => list.map((plan) => ({ name: nameOf(plan), verdict: validateCoda(renderCoda([plan])) }));

/** Shuffled with a seeded stream: the order files arrive in must not matter. */
function shuffled<T>(items: T[], seed: string): T[] {
  const rnd = new Random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function verdictWith(statements: CodaStatementSummary[]): CodaVerdict {
  return { format: 'coda', valid: true, errors: [], warnings: [], statements };
}

const day = (over: Partial<CodaStatementSummary>): CodaStatementSummary => ({
  account: 'BE68539007547034', currency: 'EUR', sequence: '010', oldBalance: '100.000', newBalance: '150.000',
  oldBalanceDate: '2025-03-03', newBalanceDate: '2025-03-04', movements: 2, ...over,
});

test('daily statements of one account chain across the year end without findings, in any order', () => {
  assert.ok(plans.some((p, i) => i > 0 && p.sequence === 1), 'the range restarts at 001 in January');
  assert.deepEqual(checkContinuity(shuffled(filesOf(plans), 'order')), []);
});

test('a missing file is a warning naming the missing sequence number and the files around it', () => {
  const gapAt = 5;
  const files = filesOf(plans.filter((_, i) => i !== gapAt));
  const findings = checkContinuity(files);
  assert.equal(findings.length, 1);
  const [gap] = findings;
  assert.equal(gap!.code, 'CODA-CONTINUITY-GAP');
  assert.equal(gap!.severity, 'warning');
  const missing = String(plans[gapAt]!.sequence).padStart(3, '0');
  assert.match(gap!.message, new RegExp(`sequence number ${missing} is missing between "${nameOf(plans[gapAt - 1]!)}" .* and "${nameOf(plans[gapAt + 1]!)}"`));
  assert.equal(gap!.location, nameOf(plans[gapAt + 1]!));
});

test('several missing files are listed one by one', () => {
  const findings = checkContinuity(filesOf(plans.filter((_, i) => i < 3 || i > 5)));
  assert.equal(findings.length, 1);
  const numbers = [3, 4, 5].map((i) => String(plans[i]!.sequence).padStart(3, '0')).join(', ');
  assert.match(findings[0]!.message, new RegExp(`sequence numbers ${numbers} are missing`));
});

test('the first files of January missing are a gap in the new year', () => {
  const january = plans.findIndex((p, i) => i > 0 && p.sequence === 1);
  const findings = checkContinuity(filesOf(plans.filter((_, i) => i !== january && i !== january + 1)));
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /sequence numbers 001, 002 are missing in 2025 between/);
});

test('an old balance that differs from the previous new balance is a balance break', () => {
  const findings = checkContinuity([
    { name: 'a.cod', verdict: verdictWith([day({})]) },
    { name: 'b.cod', verdict: verdictWith([day({ sequence: '011', oldBalance: '150.010', newBalance: '90.000', oldBalanceDate: '2025-03-04', newBalanceDate: '2025-03-05' })]) },
  ]);
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.location]), [['CODA-CONTINUITY-BALANCE', 'warning', 'b.cod']]);
  assert.match(findings[0]!.message, /"b.cod" \(sequence 011, .*\) opens with old balance 150\.010, but "a.cod" \(sequence 010, .*\) closed with new balance 150\.000/);
});

test('an old-balance date that differs from the previous new-balance date is a date break', () => {
  const findings = checkContinuity([
    { name: 'a.cod', verdict: verdictWith([day({})]) },
    { name: 'b.cod', verdict: verdictWith([day({ sequence: '011', oldBalance: '150.000', oldBalanceDate: '2025-03-05', newBalanceDate: '2025-03-06' })]) },
  ]);
  assert.deepEqual(findings.map((f) => f.code), ['CODA-CONTINUITY-DATE']);
});

test('the same statement delivered twice is a duplicate warning; a different one with the same number is a conflict', () => {
  const bytes = renderCoda([plans[3]!]);
  const twice = checkContinuity([{ name: 'x.cod', verdict: validateCoda(bytes) }, { name: 'y.cod', verdict: validateCoda(bytes) }]);
  assert.deepEqual(twice.map((f) => [f.code, f.severity]), [['CODA-CONTINUITY-DUPLICATE', 'warning']]);
  assert.match(twice[0]!.message, /"y.cod" repeats "x.cod"/);

  const conflict = checkContinuity([
    { name: 'a.cod', verdict: verdictWith([day({})]) },
    { name: 'b.cod', verdict: verdictWith([day({ newBalance: '151.000' })]) },
  ]);
  assert.deepEqual(conflict.map((f) => f.code), ['CODA-CONTINUITY-CONFLICT']);
});

test('accounts are chained separately, and statements inside one multi-statement file chain too', () => {
  const other = plansFor('continuity-other', { fromDate: '2025-01-06', toDate: '2025-01-24' });
  const files = [{ name: 'all.cod', verdict: validateCoda(renderCoda(plans)) }, ...filesOf(other)];
  assert.deepEqual(checkContinuity(files), []);
  const broken = validateCoda(renderCoda(plans.filter((_, i) => i !== 2)));
  const findings = checkContinuity([{ name: 'all.cod', verdict: broken }]);
  assert.deepEqual(findings.map((f) => [f.code, f.location]), [['CODA-CONTINUITY-GAP', 'all.cod']]);
  assert.match(findings[0]!.message, /between "all.cod" \(statement 2\) .* and "all.cod" \(statement 3\)/);
});
