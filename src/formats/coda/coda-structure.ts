import type { Findings } from '../verdict.js';
import { at, shown } from './coda-fields.js';
import type { CodaRecord, RecordKind } from './coda-records.js';

/**
 * Step 3 of the CODA checks (coda.md §2): the order of the records inside one logical statement,
 * the next/link flags that announce what follows, and the sequence numbers and bank reference that
 * tie parts 2.2/2.3 and information records 3.x to their movement 2.1.
 *
 * Grammar: 0 1 {21 [22] [23] {31 [32] [33]}} [8] {4} 9. A statement with movements needs its record 8;
 * an empty statement (0 1 9) does not.
 */

/** What may follow each record kind; 4 is handled apart because a misplaced 4 is only a warning. */
const FOLLOWERS: Record<RecordKind, readonly RecordKind[]> = {
  '0': ['1'],
  '1': ['21', '8', '9'],
  '21': ['21', '22', '23', '31', '8'],
  '22': ['21', '23', '31', '8'],
  '23': ['21', '31', '8'],
  '31': ['21', '31', '32', '33', '8'],
  '32': ['21', '31', '33', '8'],
  '33': ['21', '31', '8'],
  '8': ['4', '9'],
  '4': ['4', '9'],
  '9': [],
};

const list = (kinds: readonly string[]): string =>
  kinds.length <= 1 ? (kinds[0] ?? 'nothing') : `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;

/** Splits the records into statements, each starting at a record 0; reports records before the first header. */
export function splitStatements(records: readonly CodaRecord[], findings: Findings): CodaRecord[][] {
  const statements: CodaRecord[][] = [];
  const orphans: CodaRecord[] = [];
  for (const r of records) {
    if (r.kind === '0') statements.push([]);
    const current = statements[statements.length - 1];
    if (current) current.push(r);
    else orphans.push(r);
  }
  // One finding for the lot: a file that is not CODA at all would otherwise yield one per line.
  const first = orphans[0];
  if (first) {
    const span = orphans.length === 1 ? `record ${first.line} comes` : `records ${first.line}-${orphans[orphans.length - 1]!.line} come`;
    findings.error('CODA-ORDER', `${span} before any header record 0 (the first one starts with ${shown(first.text.slice(0, 2))}); a CODA file starts with record 0`, `record ${first.line}`);
  }
  return statements;
}

/** The grammar; records of unknown type were reported by readRecords and are skipped here. */
export function checkOrder(statement: readonly CodaRecord[], findings: Findings): void {
  const header = statement[0]!;
  let previous: RecordKind = '0';
  let movements = 0;
  for (const r of statement.slice(1)) {
    if (r.kind === null) continue;
    const location = `record ${r.line}`;
    if (r.kind === '4' && previous !== '8' && previous !== '4') {
      findings.warning('CODA-RECORD4-POSITION', `record ${r.line}: free communication record 4 after a record ${previous}; record 4 belongs between record 8 and record 9`, location);
      continue;
    }
    const allowed: readonly RecordKind[] = FOLLOWERS[previous];
    if (!allowed.includes(r.kind)) {
      const why = previous === '9' ? 'after the trailer record 9 only a new header record 0 may follow'
        : r.kind === '9' && previous !== '1' && previous !== '8' && previous !== '4' ? 'a statement with movements needs a new balance record 8 before its trailer'
          : `expected ${list(allowed)}`;
      findings.error('CODA-ORDER', `record ${r.line}: a type ${r.kind} record cannot follow a type ${previous} record; ${why}`, location);
    }
    if (r.kind === '21') movements++;
    previous = r.kind;
  }
  if (previous !== '9') {
    const what = statement.length === 1 ? 'has only its header record 0' : `ends with a type ${previous} record`;
    findings.error('CODA-ORDER', `the statement starting at record ${header.line} ${what}; it needs ${previous === '0' ? 'records 1 and 9' : 'a trailer record 9'}${movements > 0 && !statement.some((r) => r.kind === '8') ? ' and a new balance record 8' : ''}`, `record ${header.line}`);
  }
}

/** The same article chain continues: 21→22/23, 22→23, 31→32/33, 32→33 (spec §5.5). */
function continues(kind: RecordKind, following: RecordKind | null | undefined): boolean {
  if (!following || following[0] !== kind[0] || kind.length !== 2) return false;
  return Number(following[1]) > Number(kind[1]);
}

/**
 * Warnings, not errors: the record types themselves fix the structure (CODA-ORDER checks it), the
 * standard's wording of these flags is ambiguous (§5.6), real bank files disagree with its literal
 * table (a 3.1 followed by a 3.2 with link code 0), and readers (pycoda, php-coda-parser) ignore them.
 */
function checkFlag(r: CodaRecord, pos: number, name: string, expected: boolean, why: string, code: string, findings: Findings): void {
  const value = at(r.text, pos);
  const location = `record ${r.line}`;
  if (value !== '0' && value !== '1') {
    findings.warning(code, `record ${r.line} (type ${r.kind}), pos ${pos} (${name}): ${shown(value)} is not 0 or 1`, location);
  } else if ((value === '1') !== expected) {
    findings.warning(code, `record ${r.line} (type ${r.kind}), pos ${pos} (${name}) is ${value} but ${why}; expected ${expected ? '1' : '0'}`, location);
  }
}

/**
 * Next code (pos 126) and link code (pos 128) against the record that actually follows: on 2.x/3.x
 * the link code announces a 3.1; on 8 and 4 it announces a record 4.
 */
export function checkFlags(statement: readonly CodaRecord[], findings: Findings): void {
  statement.forEach((r, i) => {
    if (!r.fullLength || r.kind === null) return;
    const following = statement[i + 1]?.kind;
    const next = following ? `a type ${following} record follows` : 'no record follows';
    if (r.kind.length === 2) {
      checkFlag(r, 126, 'next code', continues(r.kind, following), next, 'CODA-NEXT-CODE', findings);
      checkFlag(r, 128, 'link code', following === '31', next, 'CODA-LINK-CODE', findings);
    } else if (r.kind === '8' || r.kind === '4') {
      checkFlag(r, 128, 'link code', following === '4', next, 'CODA-LINK-CODE', findings);
    }
  });
}

/**
 * Parts 2.2/2.3 repeat the sequence and detail numbers of their 2.1; 3.1 repeats the sequence number
 * and the bank reference of its movement; 3.2/3.3 repeat the numbers of their 3.1 (pycoda R2004-R3005).
 */
export function checkLinks(statement: readonly CodaRecord[], findings: Findings): void {
  let movement: CodaRecord | null = null;
  let information: CodaRecord | null = null;
  for (const r of statement) {
    if (r.kind === null || r.kind.length !== 2) continue;
    // A record of the wrong length has no reliable positions: its parts are not compared with it.
    if (r.kind === '21') {
      movement = r.fullLength ? r : null;
      information = null;
      continue;
    }
    if (r.kind === '31') information = r.fullLength ? r : null;
    if (!r.fullLength) continue;
    const location = `record ${r.line}`;
    const owner = r.kind === '22' || r.kind === '23' || r.kind === '31' ? movement : information;
    if (!owner) continue; // an orphan part: already an order error
    const sequence = at(r.text, 3, 6);
    if (sequence !== at(owner.text, 3, 6)) {
      findings.error('CODA-SEQUENCE', `record ${r.line} (type ${r.kind}), pos 3-6 (sequence number) is ${shown(sequence)} but its type ${owner.kind} record ${owner.line} has ${shown(at(owner.text, 3, 6))}`, location);
    } else if (r.kind !== '31' && at(r.text, 7, 10) !== at(owner.text, 7, 10)) {
      findings.error('CODA-SEQUENCE', `record ${r.line} (type ${r.kind}), pos 7-10 (detail number) is ${shown(at(r.text, 7, 10))} but its type ${owner.kind} record ${owner.line} has ${shown(at(owner.text, 7, 10))}`, location);
    }
    if (r.kind === '31' && movement && at(r.text, 11, 31) !== at(movement.text, 11, 31)) {
      findings.error('CODA-BANK-REFERENCE', `record ${r.line} (type 31), pos 11-31 (bank reference) is ${shown(at(r.text, 11, 31))} but its movement record ${movement.line} has ${shown(at(movement.text, 11, 31))}`, location);
    }
  }
}
