import type { CodaMovement, CodaStatementPlan } from './coda-plan.js';

/**
 * Renders planned statements as CODA 2.6 bytes (Febelfin "Coded statement of account", version
 * code 2): 128-character records, CRLF, Latin-1. Positions in comments are the spec's 1-based ones.
 * One physical file may hold several 0…9 groups, as banks deliver them.
 */

const RECORD_LENGTH = 128;

/**
 * Keeps text inside Latin-1 so that each character is exactly one byte: accents such as é/à stay,
 * characters beyond U+00FF lose their diacritics (NFD) or become '?', control characters become blanks
 * (a CR or LF inside a field would break the record structure).
 */
function latin1(text: string): string {
  let out = '';
  // NFC first, so that a decomposed "e + U+0301" becomes the single Latin-1 byte é.
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (code <= 0xff) out += char;
    else {
      const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      if (base === '') continue; // a stray combining mark
      out += base.length === 1 && base.charCodeAt(0) <= 0xff ? base : '?';
    }
  }
  return out;
}

/** Alphanumeric field: left-aligned, blank-padded, truncated to its width (never overflows the record). */
const an = (text: string, width: number): string => latin1(text).slice(0, width).padEnd(width, ' ');

/** Numeric field: right-aligned, zero-padded; too many digits is a bug upstream, not something to truncate. */
function n(value: number | bigint | string, width: number): string {
  const text = String(value);
  if (!/^\d+$/.test(text) || text.length > width) throw new RangeError(`cannot write ${text} in a ${width}-digit CODA field`);
  return text.padStart(width, '0');
}

const blank = (width: number): string => ' '.repeat(width);

function record(...fields: string[]): string {
  const line = fields.join('');
  if (line.length !== RECORD_LENGTH) throw new Error(`internal: CODA record of ${line.length} characters: ${line}`);
  return line;
}

/** YYYY-MM-DD → DDMMYY. */
function ddmmyy(iso: string): string {
  const match = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  return `${match[3]}${match[2]}${match[1]}`;
}

/** Sign digit (0 credit, 1 debit) + 15-digit amount in thousandths (12 + 3 decimals). */
function signedAmount(cents: bigint): string {
  const thousandths = cents * 10n;
  return (thousandths < 0n ? '1' : '0') + n(thousandths < 0n ? -thousandths : thousandths, 15);
}

/** Account structure 2 (IBAN of a Belgian account): 31 IBAN + 3 extension zone + 3 currency. */
const accountField = (iban: string): string => an(iban, 31) + blank(3) + 'EUR';

/** Movement sequence numbers wrap from 9999 to 0000 (spec §6). */
const seq4 = (sequence: number): string => n(sequence % 10_000, 4);

function description(plan: CodaStatementPlan): string {
  const postal = Number(plan.company.postalCode);
  // French-speaking postal areas (Walloon Brabant and Wallonia) get the French account name.
  const french = (postal >= 1300 && postal < 1500) || (postal >= 4000 && postal < 8000);
  return french ? 'Compte à vue' : 'Zichtrekening';
}

/** A record without its next code (pos 126) and link code (pos 128), which depend on what follows. */
interface Pending { kind: string; body: string }

function movementRecords(m: CodaMovement, statement: CodaStatementPlan): Pending[] {
  const sequence = seq4(m.sequence);
  // Free communications continue over 2.1 (53), 2.2 (53) and 2.3 (43 characters).
  const text = m.communication.structured ? '' : latin1(m.communication.text).slice(0, 149);
  const communication21 = m.communication.structured
    ? `1${an(`101${m.communication.digits12}`, 53)}`
    : `0${an(text, 53)}`;
  const out: Pending[] = [{
    kind: '21',
    body: `21${sequence}0000${an(m.bankReference, 21)}${signedAmount(m.amountCents)}${ddmmyy(m.valueDate)}`
      + `${n(m.transactionCode, 8)}${communication21}${ddmmyy(m.entryDate)}${n(statement.paperNumber % 1000, 3)}0`,
  }];
  if (m.counterpartyBic !== '' || text.length > 53) {
    out.push({
      kind: '22',
      body: `22${sequence}0000${an(text.slice(53), 53)}${blank(35)}${an(m.counterpartyBic, 11)}${blank(3)}`
        + `${blank(1 + 4)}${blank(4 + 4)}`,
    });
  }
  if (m.counterpartyIban !== '' || m.counterpartyName !== '' || text.length > 106) {
    const account = m.counterpartyIban === '' ? blank(37) : an(m.counterpartyIban, 34) + 'EUR';
    out.push({ kind: '23', body: `23${sequence}0000${account}${an(m.counterpartyName, 35)}${an(text.slice(106), 43)}` });
  }
  if (m.information !== undefined) {
    // Information records repeat the movement's sequence and bank reference; detail 0001 as in real files.
    const info = latin1(m.information).slice(0, 73 + 105 + 90);
    out.push({
      kind: '31',
      body: `31${sequence}0001${an(m.bankReference, 21)}${n(m.transactionCode, 8)}0${an(info, 73)}${blank(12)}`,
    });
    if (info.length > 73) out.push({ kind: '32', body: `32${sequence}0001${an(info.slice(73), 105)}${blank(10)}` });
    if (info.length > 178) out.push({ kind: '33', body: `33${sequence}0001${an(info.slice(178), 90)}${blank(25)}` });
  }
  return out;
}

/** Next code: the same article chain continues (2.1→2.2/2.3, 2.2→2.3, 3.1→3.2/3.3, 3.2→3.3). */
function continues(kind: string, following: string | undefined): boolean {
  if (following === undefined || following[0] !== kind[0]) return false;
  return Number(following[1]) > Number(kind[1]);
}

/** Pos 126 next code, 127 blank, 128 link code (1 when a new information record 3.1 follows). */
function finishMovements(pending: Pending[]): string[] {
  return pending.map((p, i) => {
    const following = pending[i + 1]?.kind;
    const next = continues(p.kind, following) ? '1' : '0';
    const link = following === '31' ? '1' : '0';
    return record(p.body, next, ' ', link);
  });
}

function renderStatement(plan: CodaStatementPlan, last: boolean): string[] {
  const c = plan.company;
  const header = record('0', '0000', ddmmyy(plan.creationDate), n(c.bankId, 3), '05', ' ', blank(7), blank(10),
    an(c.name, 26), an(c.bic, 11), n(`0${c.enterpriseNumber}`, 11), ' ', '00000', blank(16), blank(16), blank(7), '2');
  const paper = n(plan.paperNumber % 1000, 3);
  const oldBalance = record('1', '2', paper, accountField(c.iban), signedAmount(plan.oldBalanceCents),
    ddmmyy(plan.oldBalanceDate), an(c.name, 26), an(description(plan), 35), n(plan.sequence % 1000, 3));
  const movements = finishMovements(plan.movements.flatMap((m) => movementRecords(m, plan)));
  const newBalance = record('8', paper, accountField(c.iban), signedAmount(plan.newBalanceCents),
    ddmmyy(plan.newBalanceDate), blank(64), '0');

  // Totals cover the type-2 records with detail 0000, i.e. every 2.1 here (no globalisation details).
  let debit = 0n;
  let credit = 0n;
  for (const m of plan.movements) {
    if (m.amountCents < 0n) debit -= m.amountCents * 10n;
    else credit += m.amountCents * 10n;
  }
  // Records 0, 4 and 9 are not counted.
  const count = 1 + movements.length + 1;
  const trailer = record('9', blank(15), n(count, 6), n(debit, 15), n(credit, 15), blank(75), last ? '2' : '1');
  return [header, oldBalance, ...movements, newBalance, trailer];
}

/** One physical CODA file holding one 0…9 group per plan, in the order given. Deterministic. */
export function renderCoda(statements: CodaStatementPlan[]): Buffer {
  if (statements.length === 0) throw new RangeError('a CODA file needs at least one statement');
  const lines = statements.flatMap((plan, i) => renderStatement(plan, i === statements.length - 1));
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'latin1');
}
