import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
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
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (sub === 'find') return findCommand(rest);
  if (sub === 'export') return exportCommand(rest);
  throw new UsageError(USAGE);
}

async function findCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, limit: { type: 'string', default: '50' } },
  });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, not "${values.limit}"`);
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
    options: { config: { type: 'string' }, dossier: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}"\n${USAGE}`);
  const dossier = values.dossier === undefined ? undefined : Number(values.dossier);
  if (dossier !== undefined && (!Number.isSafeInteger(dossier) || dossier <= 0)) throw new UsageError(`--dossier takes a Billit PartyID (digits), not "${values.dossier}"`);
  const app = await openApp(values.config);
  try {
    const rows = app.ledger.search.all(dossier);
    if (values.out === undefined) {
      await writeCsv(process.stdout, rows);
      return EXIT.ok;
    }
    // Complete or not at all: a spreadsheet opened while a large export is still written would be short.
    const temp = `${values.out}.${randomBytes(4).toString('hex')}.tmp`;
    const file = createWriteStream(temp, { flags: 'wx' });
    try {
      const count = await writeCsv(file, rows);
      file.end();
      await once(file, 'close');
      await rename(temp, values.out);
      console.log(`${count} documents written to ${values.out}`);
    } catch (error) {
      file.destroy();
      await rm(temp, { force: true });
      throw error;
    }
    return EXIT.ok;
  } finally {
    app.close();
  }
}

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
