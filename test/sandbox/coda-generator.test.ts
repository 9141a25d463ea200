import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/sandbox/data/random.js';
import { generateCompany } from '../../src/sandbox/data/company.js';
import type { SandboxCompany } from '../../src/sandbox/data/company.js';
import { planCodaStatements } from '../../src/sandbox/data/coda-plan.js';
import type { CodaStatementPlan } from '../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../src/sandbox/data/coda-render.js';
import { isValidIban } from '../../src/core/belgian-ids.js';

// The files are read back with a small parser written here from the spec's 1-based positions,
// so that the generator is checked against the standard rather than against itself.

/** Field at 1-based inclusive positions, as printed in Annexe I of the CODA 2.6 standard. */
const at = (line: string, from: number, to = from): string => line.slice(from - 1, to);
const kindOf = (line: string): string => (line[0] === '2' || line[0] === '3' ? line.slice(0, 2) : line.slice(0, 1));
/** Sign digit + 15-digit amount in thousandths → signed BigInt thousandths. */
const signed = (sign: string, amount: string): bigint => (sign === '1' ? -1n : 1n) * BigInt(amount);

function isoFromDdmmyy(value: string): string {
  assert.match(value, /^\d{6}$/);
  const iso = `20${value.slice(4, 6)}-${value.slice(2, 4)}-${value.slice(0, 2)}`;
  assert.equal(new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10), iso, `real calendar date ${value}`);
  return iso;
}

function mod97Ok(digits12: string): boolean {
  const rest = Number(BigInt(digits12.slice(0, 10)) % 97n);
  return (rest === 0 ? 97 : rest) === Number(digits12.slice(10));
}

/** Splits a physical file into records, checking CRLF and the 128-character rule. */
function recordsOf(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  assert.ok(text.endsWith('\r\n'), 'file ends with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    assert.equal(line.length, 128, `record is 128 characters: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /[\r\n]/);
  }
  return lines;
}

function groupsOf(lines: string[]): string[][] {
  const groups: string[][] = [];
  for (const line of lines) {
    if (line[0] === '0') groups.push([]);
    assert.ok(groups.length > 0, 'file starts with a header');
    groups[groups.length - 1]!.push(line);
  }
  return groups;
}

interface Parsed {
  account: string; sequence: number; oldBalance: bigint; oldDate: string; newBalance: bigint; newDate: string;
  multipleFileCode: string; kinds: string[]; structured: number;
}

/** Checks one 0…9 group on its own and returns what the cross-statement checks need. */
function checkGroup(group: string[]): Parsed {
  const kinds = group.map(kindOf);
  assert.match(kinds.join(' '), /^0 1( 21( 22)?( 23)?( 31( 32)?( 33)?)*)+ 8 9$/, 'record order grammar');
  const [header, old, ...rest] = group as [string, string, ...string[]];
  const trailer = rest.pop()!;
  const last = rest.pop()!;
  assert.equal(at(header, 2, 5), '0000');
  assert.equal(at(header, 15, 16), '05');
  assert.equal(at(header, 84, 88), '00000');
  assert.equal(at(header, 128), '2', 'version code 2');
  isoFromDdmmyy(at(header, 6, 11));
  assert.equal(at(old, 2), '2', 'account structure 2 = Belgian IBAN');
  assert.equal(at(old, 40, 42), 'EUR');
  assert.equal(at(last, 5, 41), at(old, 6, 42), 'record 8 account and currency equal record 1');

  let debit = 0n;
  let credit = 0n;
  let structured = 0;
  let movement = '';
  let bankReference = '';
  let expectedSequence = 1;
  rest.forEach((line, i) => {
    const kind = kindOf(line);
    const following = kindOf(rest[i + 1] ?? last);
    if (kind === '21') {
      movement = at(line, 3, 6);
      bankReference = at(line, 11, 31);
      assert.equal(Number(movement), expectedSequence++, 'movement sequence numbers run 1..n');
      assert.equal(at(line, 7, 10), '0000');
      const amount = BigInt(at(line, 33, 47));
      const transaction = Number(at(line, 57, 58));
      assert.match(at(line, 54, 61), /^\d{8}$/);
      // Febelfin Annexe II: transactions 01-49 are debits, 50-99 credits, whatever the family.
      assert.equal(at(line, 32), transaction < 50 ? '1' : '0', 'sign agrees with the transaction code');
      if (at(line, 32) === '1') debit += amount;
      else credit += amount;
      isoFromDdmmyy(at(line, 48, 53));
      isoFromDdmmyy(at(line, 116, 121));
      if (at(line, 62) === '1') {
        structured++;
        assert.equal(at(line, 63, 65), '101');
        assert.ok(mod97Ok(at(line, 66, 77)), `structured communication ${at(line, 66, 77)} passes mod 97`);
      }
    } else {
      assert.equal(at(line, 3, 6), movement, `${kind} repeats its movement's sequence number`);
    }
    if (kind === '31') assert.equal(at(line, 11, 31), bankReference, '31 repeats the bank reference');
    if (kind === '23' && at(line, 11, 44).trim() !== '') {
      assert.ok(isValidIban(at(line, 11, 44).trim()), 'counterparty IBAN passes its check digits');
      assert.equal(at(line, 45, 47), 'EUR');
    }
    const chain = following[0] === kind[0] && Number(following[1]) > Number(kind[1]);
    assert.equal(at(line, 126), chain ? '1' : '0', `next code of ${kind} before ${following}`);
    assert.equal(at(line, 127), ' ');
    assert.equal(at(line, 128), following === '31' ? '1' : '0', `link code of ${kind} before ${following}`);
  });

  assert.equal(at(last, 128), '0');
  const counted = group.filter((line) => ['1', '21', '22', '23', '31', '32', '33', '8'].includes(kindOf(line))).length;
  assert.equal(Number(at(trailer, 17, 22)), counted, 'trailer record count');
  assert.equal(BigInt(at(trailer, 23, 37)), debit, 'trailer debit total');
  assert.equal(BigInt(at(trailer, 38, 52)), credit, 'trailer credit total');
  const oldBalance = signed(at(old, 43), at(old, 44, 58));
  const newBalance = signed(at(last, 42), at(last, 43, 57));
  assert.equal(oldBalance + credit - debit, newBalance, 'old + credits − debits = new');
  return {
    account: at(old, 6, 42), sequence: Number(at(old, 126, 128)), oldBalance, oldDate: isoFromDdmmyy(at(old, 59, 64)),
    newBalance, newDate: isoFromDdmmyy(at(last, 58, 63)), multipleFileCode: at(trailer, 128), kinds, structured,
  };
}

/** Old balance = previous new balance (amount and date); the CODA sequence goes +1 and restarts on 1 January. */
function checkChain(statements: Parsed[]): { yearRestarts: number } {
  let yearRestarts = 0;
  statements.forEach((s, i) => {
    const previous = statements[i - 1];
    if (!previous) return;
    assert.equal(s.account, previous.account);
    assert.equal(s.oldBalance, previous.newBalance, 'old balance = previous new balance');
    assert.equal(s.oldDate, previous.newDate, 'old balance date = previous new balance date');
    if (s.newDate.slice(0, 4) !== previous.newDate.slice(0, 4)) {
      yearRestarts++;
      assert.equal(s.sequence, 1, 'CODA sequence restarts at 1 in a new year');
    } else {
      assert.equal(s.sequence, previous.sequence + 1, 'CODA sequence increases by 1');
    }
  });
  return { yearRestarts };
}

const SEEDS = ['north', 'south', 'east'];
const RANGES = [{ fromDate: '2024-11-04', toDate: '2025-02-04' }, { fromDate: '2025-03-03', toDate: '2025-05-30' }];
const OPENING = [-150_000n, 250_000n, 1_234_567n];

function scenario(seed: string, range: { fromDate: string; toDate: string }, index: number): CodaStatementPlan[] {
  const rnd = new Random(seed);
  const counterparties = Array.from({ length: 8 }, (_, i) => generateCompany(rnd.fork(`party:${i}`), 100 + i));
  let company: SandboxCompany = generateCompany(rnd.fork(`dossier:${index}`), index);
  if (index === 0) company = { ...company, name: 'Boulangerie Dupré à Liège SRL' };
  return planCodaStatements(rnd.fork(`coda:${index}`), company, { ...range, openingBalanceCents: OPENING[index]!, counterparties });
}

const SCENARIOS = SEEDS.flatMap((seed) => RANGES.flatMap((range) => OPENING.map((_, i) => ({ seed, range, plans: scenario(seed, range, i) }))));

test('each scenario yields about three months of daily statements', () => {
  for (const { plans } of SCENARIOS) assert.ok(plans.length >= 45 && plans.length <= 66, `${plans.length} statements`);
});

test('files with one statement each pass every record, total and balance check and chain across the year end', () => {
  const kinds = new Map<string, number>();
  let structured = 0;
  let debitBalances = 0;
  let yearRestarts = 0;
  for (const { plans } of SCENARIOS) {
    const parsed = plans.map((plan) => {
      const groups = groupsOf(recordsOf(renderCoda([plan])));
      assert.equal(groups.length, 1);
      const result = checkGroup(groups[0]!);
      assert.equal(result.multipleFileCode, '2', 'a lone statement is the last one');
      assert.equal(result.sequence, plan.sequence);
      assert.equal(result.oldBalance, plan.oldBalanceCents * 10n);
      assert.equal(result.newBalance, plan.newBalanceCents * 10n);
      assert.ok(result.account.startsWith(plan.company.iban));
      for (const kind of result.kinds) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      structured += result.structured;
      if (result.oldBalance < 0n) debitBalances++;
      return result;
    });
    yearRestarts += checkChain(parsed).yearRestarts;
  }
  assert.equal(yearRestarts, SEEDS.length * OPENING.length, 'every year-crossing range restarts its sequence once');
  assert.ok(structured > 0 && debitBalances > 0, 'structured communications and negative balances occur');
  for (const kind of ['21', '22', '23', '31', '32']) assert.ok((kinds.get(kind) ?? 0) > 0, `some ${kind} records`);
});

test('a file with several statements holds one 0…9 group per statement and flags only the last as last', () => {
  for (const { plans } of SCENARIOS) {
    const groups = groupsOf(recordsOf(renderCoda(plans)));
    assert.equal(groups.length, plans.length);
    const parsed = groups.map(checkGroup);
    parsed.forEach((p, i) => assert.equal(p.multipleFileCode, i === parsed.length - 1 ? '2' : '1'));
    checkChain(parsed);
  }
});

test('consecutive ranges planned separately continue the CODA sequence and the balance dates', () => {
  const first = scenario('north', { fromDate: '2025-01-02', toDate: '2025-03-31' }, 1);
  const second = scenario('north', { fromDate: '2025-04-01', toDate: '2025-06-30' }, 1);
  assert.equal(second[0]!.sequence, first[first.length - 1]!.sequence + 1);
  assert.equal(second[0]!.oldBalanceDate, first[first.length - 1]!.newBalanceDate);
  assert.equal(first[0]!.sequence, 1);
});

test('a company name with é and à stays one Latin-1 byte per character', () => {
  const plan = SCENARIOS[0]!.plans[0]!;
  const bytes = renderCoda([plan]);
  assert.equal(bytes.subarray(34, 60).toString('latin1'), 'Boulangerie Dupré à Liège ');
  assert.equal(bytes[34 + 'Boulangerie Dupr'.length], 0xe9);
  assert.deepEqual([bytes[128], bytes[129]], [0x0d, 0x0a]);
  assert.equal(bytes.indexOf(Buffer.from([0xc3])), -1, 'no UTF-8 lead bytes anywhere');
  const decomposed = renderCoda([{ ...plan, company: { ...plan.company, name: 'Dupre\u0301' } }]);
  assert.equal(decomposed.subarray(34, 40).toString('latin1'), 'Dupré ');
  assert.equal(decomposed.length, bytes.length);
});

test('the same seed renders byte-identical files and another seed does not', () => {
  const range = RANGES[0]!;
  const once = renderCoda(scenario('south', range, 2));
  const again = renderCoda(scenario('south', range, 2));
  assert.ok(once.equals(again));
  assert.ok(!once.equals(renderCoda(scenario('west', range, 2))));
});
