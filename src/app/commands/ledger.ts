import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { formatCents } from '../../core/money.js';
import { CSV_BOM, csvHeader, csvRow } from '../../ledger/ledger-csv.js';
import { readSearchQuery } from '../../ledger/search-query.js';
import type { SearchHit } from '../../ledger/search-repository.js';
import { openApp } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';

const USAGE = `usage: billsync ledger find TEXT… [--limit N] [--json] [--config FILE]
       billsync ledger export [--dossier ID] [--out FILE] [--config FILE]

  find     where is a document? TEXT is an invoice number, a counterparty's name, enterprise or VAT
           number, an amount (1.234,56 or € 99) or a date (15/10/2026); newest first
  export   every document the ledger knows, as CSV for Excel (semicolons, decimal comma, UTF-8),
           to FILE or standard output`;

/** `billsync ledger find|export`: the ledger's answers without the status page. */
export async function ledgerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') return help();
  if (sub === 'find') return findCommand(rest);
  if (sub === 'export') return exportCommand(rest);
  throw new UsageError(USAGE);
}

async function findCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, limit: { type: 'string', default: '50' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) return help();
  const limit = /^\d{1,4}$/.test(values.limit) ? Number(values.limit) : NaN;
  if (!(limit >= 1 && limit <= 1000)) throw new UsageError(`--limit must be a whole number from 1 to 1000, not "${values.limit}"`);
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError(`say what to look for\n${USAGE}`);
  const app = await openApp(values.config);
  try {
    const hits = app.ledger.search.search(readSearchQuery(text, limit).query);
    if (values.json) {
      console.log(JSON.stringify(hits.map((hit) => ({ ...hit, amount: hit.amountCents === null ? null : formatCents(hit.amountCents), amountCents: undefined }))));
    } else if (hits.length === 0) {
      console.log(`Nothing in the ledger matches "${text}".`);
    } else {
      for (const hit of hits) console.log(describe(hit));
    }
    return EXIT.ok;
  } finally {
    app.close();
  }
}

function describe(hit: SearchHit): string {
  const what = [hit.reference ?? hit.title ?? hit.billitId, hit.counterpartyName, hit.amountCents === null ? null : `€ ${formatCents(hit.amountCents)}`, hit.documentDate]
    .filter((part) => part !== null && part !== '').join(' · ');
  const where = hit.finalPath ?? (hit.lastError ? `not exported: ${hit.lastError}` : 'not exported yet');
  return `${hit.dossierName ?? hit.dossierPartyId} · ${hit.kind} · ${what} [${hit.state}]\n    ${where}`;
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { config: { type: 'string' }, dossier: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) return help();
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}"\n${USAGE}`);
  const dossier = values.dossier === undefined ? undefined : /^\d{1,15}$/.test(values.dossier) ? Number(values.dossier) : NaN;
  if (dossier !== undefined && !(dossier > 0)) throw new UsageError(`--dossier takes a Billit PartyID (digits), not "${values.dossier}"`);
  const app = await openApp(values.config);
  try {
    if (dossier !== undefined && !app.ledger.dossiers.list().some((d) => d.partyId === dossier)) {
      throw new UsageError(`dossier ${dossier} is not in the ledger (billsync status lists the dossiers it knows)`);
    }
    const rows = app.ledger.search.all(dossier);
    if (values.out === undefined) {
      await writeCsv(process.stdout, rows);
      return EXIT.ok;
    }
    const count = await writeCsvFile(values.out, rows);
    console.log(`${count} documents written to ${values.out}`);
    return EXIT.ok;
  } finally {
    app.close();
  }
}

function help(): number {
  console.log(USAGE);
  return EXIT.ok;
}

/**
 * The CSV into `out`, complete or not at all (a spreadsheet opened while a large export is still being
 * written would be short): a temp file beside it, renamed at the end. File-system failures name `out`.
 */
async function writeCsvFile(out: string, rows: Iterable<SearchHit>): Promise<number> {
  const temp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch (error) {
    throw new UsageError(`cannot write ${out} (${codeOf(error)}): does its folder exist, and may billsync write there?`);
  }
  const stream = handle.createWriteStream();
  try {
    const count = await writeCsv(stream, rows);
    stream.end();
    await once(stream, 'close');
    try {
      await rename(temp, out);
    } catch (error) {
      throw new UsageError(`${out} cannot be replaced (${codeOf(error)}): is it open in Excel? Close it and try again`);
    }
    return count;
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write ${out} (${codeOf(error)}); nothing was left behind`);
  }
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Writes the CSV in ~64 KB pieces, waiting when the stream is full; returns the number of rows. */
async function writeCsv(out: Writable, rows: Iterable<SearchHit>): Promise<number> {
  let chunk = `${CSV_BOM}${csvHeader()}`;
  let count = 0;
  const flush = async () => {
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  for (const row of rows) {
    chunk += csvRow(row);
    count += 1;
    if (chunk.length >= 65_536) await flush();
  }
  await flush();
  return count;
}
