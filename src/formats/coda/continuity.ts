import type { Finding } from '../verdict.js';
import type { CodaStatementSummary, CodaVerdict } from './validate-coda.js';

/**
 * Step 8 of the CODA checks (coda.md §2): continuity across files of the same account. A missing
 * file means missing bank movements in Venice, so gaps are reported; they are warnings because the
 * file at hand is itself sound and the missing one may simply not have arrived yet.
 *
 * Per account + currency, statements are ordered by year, CODA sequence number (record 1 pos
 * 126-128, +1 per file with or without movements, restarting at 001 each year) and dates. Then:
 * the sequence goes up by one, the old balance is the previous new balance, and the old-balance date
 * is the previous new-balance date. A statement seen twice (same sequence, same content) is a duplicate.
 */

interface Entry {
  name: string;
  /** 1-based position of the statement in its physical file. */
  index: number;
  count: number;
  s: CodaStatementSummary;
  year: string;
  /** 0 when the bank leaves the CODA sequence number at zeros: then dates alone give the order. */
  sequence: number;
}

const pad = (n: number): string => String(n).padStart(3, '0');

const label = (e: Entry): string => `"${e.name}"${e.count > 1 ? ` (statement ${e.index})` : ''}`;

const describe = (e: Entry): string => `${label(e)} (sequence ${e.s.sequence}, ${e.s.oldBalanceDate} → ${e.s.newBalanceDate})`;

/** "005", "005, 006" or "005-130": the numbers a user has to ask the bank for. */
function missing(from: number, to: number): string {
  if (from === to) return `sequence number ${pad(from)} is`;
  if (to - from < 10) return `sequence numbers ${Array.from({ length: to - from + 1 }, (_, i) => pad(from + i)).join(', ')} are`;
  return `sequence numbers ${pad(from)}-${pad(to)} are`;
}

function compare(a: Entry, b: Entry): number {
  if (a.year !== b.year) return a.year < b.year ? -1 : 1;
  if (a.sequence > 0 && b.sequence > 0 && a.sequence !== b.sequence) return a.sequence - b.sequence;
  for (const [x, y] of [[a.s.newBalanceDate, b.s.newBalanceDate], [a.s.oldBalanceDate, b.s.oldBalanceDate], [a.name, b.name]] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.index - b.index;
}

const sameContent = (a: CodaStatementSummary, b: CodaStatementSummary): boolean =>
  a.oldBalance === b.oldBalance && a.newBalance === b.newBalance && a.oldBalanceDate === b.oldBalanceDate
  && a.newBalanceDate === b.newBalanceDate && a.movements === b.movements;

/** Located at the file (callers attach the finding to it); the message names the statement inside it. */
function warning(code: string, message: string, at: Entry): Finding {
  return { code, severity: 'warning', message, location: at.name };
}

/** Sequence step from `prev` to `cur`: a warning for a gap, null when the numbers continue. */
function sequenceGap(prev: Entry, cur: Entry, account: string): Finding | null {
  if (prev.sequence === 0 || cur.sequence === 0) return null;
  const sameYear = prev.year === cur.year;
  // A new year restarts at 001; a bank that keeps counting across 1 January is accepted too.
  if (cur.sequence === prev.sequence + 1 || (!sameYear && cur.sequence === 1)) return null;
  const from = sameYear ? prev.sequence + 1 : 1;
  if (cur.sequence < from) return null; // equal numbers are duplicates or conflicts, handled by the caller
  const where = sameYear ? '' : ` in ${cur.year}`;
  return warning('CODA-CONTINUITY-GAP', `account ${account}: ${missing(from, cur.sequence - 1)} missing${where} between ${describe(prev)} and ${describe(cur)}`, cur);
}

function checkAccount(account: string, entries: Entry[], out: Finding[]): void {
  entries.sort(compare);
  let prev: Entry | undefined;
  for (const cur of entries) {
    if (!prev) {
      prev = cur;
      continue;
    }
    if (prev.sequence > 0 && cur.sequence === prev.sequence && prev.year === cur.year) {
      if (sameContent(prev.s, cur.s)) {
        out.push(warning('CODA-CONTINUITY-DUPLICATE', `account ${account}: ${label(cur)} repeats ${label(prev)}: the same statement (sequence ${cur.s.sequence}, ${cur.s.oldBalanceDate} → ${cur.s.newBalanceDate}, new balance ${cur.s.newBalance}) delivered twice`, cur));
        continue; // keep the first copy as the link in the chain
      }
      out.push(warning('CODA-CONTINUITY-CONFLICT', `account ${account}: ${describe(prev)} and ${describe(cur)} carry the same sequence number ${cur.s.sequence} with different balances or dates`, cur));
      prev = cur;
      continue;
    }
    const gap = sequenceGap(prev, cur, account);
    if (gap) out.push(gap);
    else {
      // With a gap the missing files explain any break; otherwise balance and date must chain exactly.
      if (cur.s.oldBalance !== prev.s.newBalance) {
        out.push(warning('CODA-CONTINUITY-BALANCE', `account ${account}: ${describe(cur)} opens with old balance ${cur.s.oldBalance}, but ${describe(prev)} closed with new balance ${prev.s.newBalance}`, cur));
      }
      if (cur.s.oldBalanceDate !== prev.s.newBalanceDate) {
        out.push(warning('CODA-CONTINUITY-DATE', `account ${account}: ${describe(cur)} has old balance date ${cur.s.oldBalanceDate}, but ${describe(prev)} has new balance date ${prev.s.newBalanceDate}`, cur));
      }
    }
    prev = cur;
  }
}

/**
 * Continuity findings (all warnings) across the given files, grouped per account + currency.
 * Statements whose account or dates could not be read are left out: their file's own verdict says why.
 */
export function checkContinuity(files: Array<{ name: string; verdict: CodaVerdict }>): Finding[] {
  const byAccount = new Map<string, Entry[]>();
  for (const { name, verdict } of files) {
    verdict.statements.forEach((s, i) => {
      if (s.account === '' || s.newBalanceDate === '' || s.oldBalanceDate === '' || s.oldBalance === '' || s.newBalance === '') return;
      const key = `${s.account} ${s.currency}`;
      const sequence = /^\d{3}$/.test(s.sequence) ? Number(s.sequence) : 0;
      const entry: Entry = { name, index: i + 1, count: verdict.statements.length, s, year: s.newBalanceDate.slice(0, 4), sequence };
      const list = byAccount.get(key);
      if (list) list.push(entry);
      else byAccount.set(key, [entry]);
    });
  }
  const out: Finding[] = [];
  for (const [account, entries] of byAccount) checkAccount(account, entries, out);
  return out;
}
