import { structuredCommunicationCheck } from '../../core/belgian-ids.js';
import type { SandboxCompany } from './company.js';
import type { Random } from './random.js';

/**
 * Plans the content of a company's daily CODA statements (what the bank would report), separately
 * from the byte layout (coda-render.ts), so tests and the sandbox world can reason about balances
 * and sequence numbers without parsing 128-character records.
 */

export interface CodaMovement {
  /** Movement sequence number inside its statement, 1..n. */
  sequence: number;
  /** Signed: negative = debit, positive = credit. Cents (rendered as thousandths). */
  amountCents: bigint;
  /** YYYY-MM-DD */
  valueDate: string;
  /** YYYY-MM-DD */
  entryDate: string;
  /** 8 digits: type (1) · family (2) · transaction (2) · category (3), Febelfin Annexe II. */
  transactionCode: string;
  counterpartyName: string;
  /** '' when the movement has no counterparty account (card payments, bank costs). */
  counterpartyIban: string;
  /** '' when unknown. */
  counterpartyBic: string;
  communication: { structured: true; digits12: string } | { structured: false; text: string };
  /** 21 characters (banks pad their internal reference with blanks). */
  bankReference: string;
  /** Extra details the bank reports in information records 3.1/3.2/3.3; absent = no record 3. */
  information?: string;
}

export interface CodaStatementPlan {
  company: SandboxCompany;
  /** CODA sequence number (record 1, pos 126-128); restarts at 1 each calendar year. */
  sequence: number;
  paperNumber: number;
  /** YYYY-MM-DD */
  creationDate: string;
  oldBalanceCents: bigint;
  oldBalanceDate: string;
  newBalanceCents: bigint;
  newBalanceDate: string;
  movements: CodaMovement[];
}

const DAY_MS = 86_400_000;
/** TARGET2 closing days that fall on fixed dates: no SEPA settlement, so no statement. */
const CLOSED = new Set(['01-01', '05-01', '12-25', '12-26']);
/** Share of banking days on which an SME account sees no movement (the bank then sends no file). */
const QUIET_DAY = 0.15;

const MERCHANTS = ['Delhaize', 'Colruyt', 'Brasserie Léonard', 'Boulangerie Dupré', 'Total Energies', 'Café de la Gare',
  'Brico', 'Hubo', 'Q8', 'Crème & Café', 'Standaard Boekhandel', 'Brûlerie Müller'];

function parseIsoDate(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const time = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== iso) throw new RangeError(`no such date: ${iso}`);
  return time;
}

const isoOf = (time: number): string => new Date(time).toISOString().slice(0, 10);

function isBankingDay(time: number): boolean {
  const weekday = new Date(time).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !CLOSED.has(isoOf(time).slice(5));
}

/**
 * Each day draws from its own fork, so a day's movements (and whether it has any) do not depend on
 * the requested range: planning January–March and April–June separately yields the same days.
 */
function dayStream(rnd: Random, company: SandboxCompany, day: string): { stream: Random; count: number } {
  const stream = rnd.fork(`coda/${company.iban}/${day}`);
  const count = stream.chance(QUIET_DAY) ? 0 : stream.int(1, 8);
  return { stream, count };
}

const hasFile = (rnd: Random, company: SandboxCompany, time: number): boolean =>
  isBankingDay(time) && dayStream(rnd, company, isoOf(time)).count > 0;

/** The CODA sequence number counts files since 1 January, so the first one in range continues that count. */
function firstSequence(rnd: Random, company: SandboxCompany, from: number): number {
  let sequence = 1;
  for (let t = Date.UTC(new Date(from).getUTCFullYear(), 0, 1); t < from; t += DAY_MS) {
    if (hasFile(rnd, company, t)) sequence++;
  }
  return sequence;
}

/** The old-balance date of the first statement is the new-balance date of the last file before the range. */
function previousFileDate(rnd: Random, company: SandboxCompany, from: number): string {
  for (let t = from - DAY_MS; t >= from - 31 * DAY_MS; t -= DAY_MS) if (hasFile(rnd, company, t)) return isoOf(t);
  let t = from - DAY_MS;
  while (!isBankingDay(t)) t -= DAY_MS;
  return isoOf(t);
}

function structuredDigits(rnd: Random): string {
  const first10 = rnd.digits(10);
  return first10 + structuredCommunicationCheck(first10);
}

function invoiceNumber(rnd: Random, day: string): string {
  return `${day.slice(0, 4)}/${String(rnd.int(1, 1200)).padStart(4, '0')}`;
}

/** Amounts are skewed towards small values, as on real SME accounts: mostly modest, sometimes large. */
function skewedCents(rnd: Random, min: number, typicalMax: number, max: number): bigint {
  return BigInt(rnd.chance(0.75) ? rnd.int(min, typicalMax) : rnd.int(typicalMax, max));
}

type Draft = Omit<CodaMovement, 'sequence' | 'bankReference' | 'entryDate' | 'valueDate'> & { valueShiftDays?: number };

/** One movement of a realistic kind; weights roughly balance money in and out so balances wander around zero. */
function draftMovement(rnd: Random, company: SandboxCompany, others: SandboxCompany[], day: string): Draft {
  const other = rnd.pick(others);
  const party = { counterpartyName: other.name, counterpartyIban: other.iban, counterpartyBic: other.bic };
  const address = `${other.name}, ${other.street}, ${other.postalCode} ${other.city}, IBAN ${other.iban}`;
  const roll = rnd.int(1, 100);
  if (roll <= 34) {
    // A customer pays an invoice, usually quoting the structured communication printed on it.
    return {
      ...party, amountCents: skewedCents(rnd, 5_000, 80_000, 400_000), transactionCode: '00150000',
      communication: rnd.chance(0.6) ? { structured: true, digits12: structuredDigits(rnd) }
        : { structured: false, text: `${rnd.pick(['Factuur', 'Facture', 'Betaling factuur', 'Paiement facture'])} ${invoiceNumber(rnd, day)}` },
      ...(rnd.chance(0.4) ? { information: `Virement SEPA de ${address}` } : {}),
    };
  }
  if (roll <= 54) {
    // The company pays a supplier's invoice.
    return {
      ...party, amountCents: -skewedCents(rnd, 3_000, 60_000, 200_000), transactionCode: '00101000',
      communication: rnd.chance(0.5) ? { structured: true, digits12: structuredDigits(rnd) }
        : { structured: false, text: `Invoice ${invoiceNumber(rnd, day)} ${company.name}` },
      ...(rnd.chance(0.3) ? { information: `Overschrijving naar ${address}` } : {}),
    };
  }
  if (roll <= 76) {
    // Card payments carry a masked card number (spec §7.9) and no counterparty account.
    const merchant = rnd.pick(MERCHANTS);
    return {
      counterpartyName: merchant, counterpartyIban: '', counterpartyBic: '',
      amountCents: -BigInt(rnd.int(300, 15_000)), transactionCode: '00402000', valueShiftDays: rnd.int(0, 2),
      communication: { structured: false, text: `BETALING MET DEBETKAART NUMMER 6703 XXXX XXXX X${rnd.digits(3)} ${merchant.toUpperCase()} ${day.slice(8)}/${day.slice(5, 7)} ${rnd.int(7, 21)}:${String(rnd.int(0, 59)).padStart(2, '0')}` },
    };
  }
  if (roll <= 89) {
    // SEPA direct debits: long free text that spills over into records 2.2 and 2.3.
    return {
      ...party, amountCents: -skewedCents(rnd, 1_500, 30_000, 80_000), transactionCode: '00501000',
      communication: { structured: false, text: `EUROPESE DOMICILIËRING SCHULDEISER ${other.name.toUpperCase()} MANDAATREFERENTIE ${rnd.digits(12)} REFERENTIE SCHULDEISER ${rnd.digits(16)}` },
    };
  }
  if (roll <= 95) {
    // Standing orders (rent, leasing) are round amounts.
    return {
      ...party, amountCents: -BigInt(rnd.int(40, 250) * 1_000), transactionCode: '00103000',
      communication: { structured: false, text: `${rnd.pick(['Huur', 'Loyer', 'Leasing'])} ${day.slice(5, 7)}/${day.slice(0, 4)}` },
    };
  }
  // Account management costs charged by the bank itself: no counterparty at all.
  return {
    counterpartyName: '', counterpartyIban: '', counterpartyBic: '',
    amountCents: -BigInt(rnd.int(100, 2_500)), transactionCode: '03537000',
    communication: { structured: false, text: rnd.pick(['Beheerskosten zichtrekening', 'Frais de gestion compte à vue']) },
  };
}

/**
 * Plans one statement per banking day with movements between fromDate and toDate (inclusive).
 * Balances chain exactly, CODA sequence numbers continue by one and restart on 1 January.
 */
export function planCodaStatements(
  rnd: Random,
  company: SandboxCompany,
  input: { fromDate: string; toDate: string; openingBalanceCents: bigint; counterparties: SandboxCompany[] },
): CodaStatementPlan[] {
  const from = parseIsoDate(input.fromDate);
  const to = parseIsoDate(input.toDate);
  if (to < from) throw new RangeError(`toDate ${input.toDate} is before fromDate ${input.fromDate}`);
  const others = input.counterparties.filter((c) => c.iban !== company.iban);
  if (others.length === 0) throw new RangeError('planCodaStatements needs at least one counterparty other than the company');

  const plans: CodaStatementPlan[] = [];
  let balance = input.openingBalanceCents;
  let balanceDate = previousFileDate(rnd, company, from);
  let sequence = firstSequence(rnd, company, from) - 1;
  let year = new Date(from).getUTCFullYear();

  for (let t = from; t <= to; t += DAY_MS) {
    if (!isBankingDay(t)) continue;
    const day = isoOf(t);
    const { stream, count } = dayStream(rnd, company, day);
    if (count === 0) continue;
    const dayYear = new Date(t).getUTCFullYear();
    if (dayYear !== year) {
      year = dayYear;
      sequence = 0;
    }
    sequence++;
    const movements: CodaMovement[] = [];
    let newBalance = balance;
    for (let i = 1; i <= count; i++) {
      const { valueShiftDays = 0, ...draft } = draftMovement(stream, company, others, day);
      movements.push({
        ...draft,
        sequence: i,
        entryDate: day,
        valueDate: isoOf(t - valueShiftDays * DAY_MS),
        // 19 significant characters padded with blanks, in the style of the reference in real ING files.
        bankReference: `${day.slice(2).replaceAll('-', '')}${stream.digits(9)}${String(i).padStart(4, '0')}  `,
      });
      newBalance += draft.amountCents;
    }
    plans.push({
      company,
      sequence,
      // Daily statements: banks that number paper statements per day make it equal to the CODA sequence.
      paperNumber: sequence,
      creationDate: day,
      oldBalanceCents: balance,
      oldBalanceDate: balanceDate,
      newBalanceCents: newBalance,
      newBalanceDate: day,
      movements,
    });
    balance = newBalance;
    balanceDate = day;
  }
  return plans;
}
