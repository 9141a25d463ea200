import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import writeExcelFile from 'write-excel-file/node';
import { parseConfig } from '../../src/config/load-config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { SandboxCompany } from '../../src/sandbox/data/company.js';
import { openSandbox } from '../support/sandbox.js';
import { billsync } from '../support/cli.js';

function dotted(digits: string): string {
  return `BE${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

describe('billsync dossiers import on the command line, against the sandbox', () => {
  let sandbox: Sandbox;
  let base: string;
  let configFile: string;
  let mapping: string;
  let env: Record<string, string>;
  let companies: SandboxCompany[];
  let initial: Record<string, unknown>;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 4, docsPerDossier: 1, otherDocsPerDossier: 0, codaDays: 1 });
    companies = [...sandbox.world.dossiers.values()];
    assert.equal(companies.length, 4);
    assert.ok(companies.every((c) => c.enterpriseNumber.startsWith('0')), 'the number-cell case needs a leading 0 to lose');
    base = mkdtempSync(join(tmpdir(), 'billsync-dossier-import-cli-'));
    mkdirSync(join(base, 'export'));
    configFile = join(base, 'config.json');
    initial = {
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, ratePerSecond: 100 },
      exportRoot: join(base, 'export'),
      dossiers: { [companies[0]!.partyId]: { folder: 'Eerste Dossier', disabled: true } },
    };
    writeFileSync(configFile, JSON.stringify(initial));
    env = { BILLSYNC_DATA_DIR: join(base, 'data'), BILLSYNC_CONFIG: configFile };
    const [c0, c1, c2, c3] = companies as [SandboxCompany, SandboxCompany, SandboxCompany, SandboxCompany];
    mapping = join(base, 'mapping.csv');
    writeFileSync(mapping, `\uFEFF${[
      'Ondernemingsnummer;Naam;Dossiermap',
      `${dotted(c0.enterpriseNumber)};${c0.name};Eerste Dossier`, //           2 unchanged
      `${c1.enterpriseNumber.slice(1)};${c1.name};Café Tweede`, //             3 set (leading 0 lost)
      `${c2.enterpriseNumber};${c2.name};..\\..\\Windows`, //                  4 set, sanitised
      '0123.456.748;Typo;Whatever', //                                         5 invalid
      '0333.000.604;Onbekend;Onbekend', //                                     6 unknown company
      `${c1.enterpriseNumber};${c1.name};Café Tweede`, //                      7 duplicate
      `${c3.enterpriseNumber};${c3.name};EERSTE DOSSIER`, //                   8 clash with c0
    ].join('\r\n')}\r\n`);
  });
  after(() => sandbox.close());

  test('the preview shows each row and the totals, exits 1 for the rows it cannot apply, and leaves the configuration byte-identical', async () => {
    const bytes = readFileSync(configFile);
    const result = await billsync(['dossiers', 'import', mapping], env);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.split('\n');
    const [c0, c1, c2, c3] = companies as [SandboxCompany, SandboxCompany, SandboxCompany, SandboxCompany];
    assert.equal(lines[0], `${mapping}: header on line 1, enterprise number from "Ondernemingsnummer", folder from "Dossiermap"`);
    const rowOf = (line: number) => lines.find((l) => l.trimStart().startsWith(`${line}  `)) ?? '';
    assert.match(rowOf(2), new RegExp(`^\\s*2  ${c0.enterpriseNumber.slice(0, 4)}\\.${c0.enterpriseNumber.slice(4, 7)}\\.${c0.enterpriseNumber.slice(7)}\\s+${c0.name}\\s+Eerste Dossier\\s+unchanged\\s+already the folder of this dossier$`));
    assert.match(rowOf(3), new RegExp(`${c1.name}\\s+Café Tweede\\s+set\\s+replaces the default folder "${c1.name} \\(${c1.enterpriseNumber}\\)"$`));
    assert.match(rowOf(4), new RegExp(`${c2.name}\\s+___\\.\\._Windows\\s+set\\s+replaces the default folder "${c2.name} \\(${c2.enterpriseNumber}\\)"; "\\.\\.\\\\\\.\\.\\\\Windows" is not a safe Windows folder name`));
    assert.match(rowOf(5), /0123\.456\.748\s+-\s+Whatever\s+invalid-enterprise-number/);
    assert.match(rowOf(6), /0333\.000\.604\s+-\s+Onbekend\s+unknown-company\s+no company in Billit has enterprise number 0333\.000\.604/);
    assert.match(rowOf(7), /duplicate-row\s+same company and folder as line 3/);
    assert.match(rowOf(8), new RegExp(`${c3.name}\\s+EERSTE DOSSIER\\s+folder-clash\\s+folder "EERSTE DOSSIER" would also be the folder of ${c0.name} \\(PartyID ${c0.partyId}\\), which already uses it`));
    assert.ok(lines.includes('Totals: 7 rows: 2 set, 1 unchanged, 1 unknown-company, 1 invalid-enterprise-number, 1 duplicate-row, 1 folder-clash'), result.stdout);
    assert.ok(result.stdout.includes(`Preview only: nothing was changed. To apply the 2 rows marked "set", run:\n  billsync dossiers import ${mapping} --apply\n`), result.stdout);
    assert.ok(result.stdout.includes('4 rows cannot be applied'), result.stdout);
    assert.deepEqual(readFileSync(configFile), bytes);

    const json = await billsync(['dossiers', 'import', mapping, '--json'], env);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.applied, false);
    assert.equal(report.changed, 0);
    assert.equal(report.problems, 4);
    assert.deepEqual(report.totals, { set: 2, unchanged: 1, 'unknown-company': 1, 'ambiguous-company': 0, 'invalid-enterprise-number': 1, 'empty-folder': 0, 'duplicate-row': 1, 'folder-clash': 1 });
    assert.deepEqual(report.rows.map((r: { line: number; partyId: number | null; folder: string; outcome: string }) => [r.line, r.partyId, r.folder, r.outcome]), [
      [2, c0.partyId, 'Eerste Dossier', 'unchanged'], [3, c1.partyId, 'Café Tweede', 'set'], [4, c2.partyId, '___.._Windows', 'set'],
      [5, null, 'Whatever', 'invalid-enterprise-number'], [6, null, 'Onbekend', 'unknown-company'], [7, c1.partyId, 'Café Tweede', 'duplicate-row'],
      [8, c3.partyId, 'EERSTE DOSSIER', 'folder-clash'],
    ]);
    assert.deepEqual(readFileSync(configFile), bytes);
  });

  test('--apply saves exactly the rows marked set; a second --apply finds them all unchanged and saves nothing', async () => {
    const [c0, c1, c2] = companies as [SandboxCompany, SandboxCompany, SandboxCompany];
    const applied = await billsync(['dossiers', 'import', mapping, '--apply'], env);
    assert.equal(applied.code, 1, applied.stderr);
    assert.ok(applied.stdout.includes(`\nSaved ${configFile}: 2 dossier folders changed.\n4 rows could not be applied`), applied.stdout);
    const saved = parseConfig(JSON.parse(readFileSync(configFile, 'utf8')));
    assert.deepEqual(saved, parseConfig({
      ...initial,
      dossiers: {
        [c0.partyId]: { folder: 'Eerste Dossier', disabled: true },
        [c1.partyId]: { folder: 'Café Tweede' },
        [c2.partyId]: { folder: '___.._Windows' },
      },
    }));

    const bytes = readFileSync(configFile);
    const again = await billsync(['dossiers', 'import', mapping, '--apply', '--json'], env);
    assert.equal(again.code, 1, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.equal(report.changed, 0);
    assert.deepEqual([report.totals.set, report.totals.unchanged], [0, 3]);
    assert.deepEqual(report.rows.filter((r: { outcome: string }) => r.outcome === 'unchanged').map((r: { line: number }) => r.line), [2, 3, 4]);
    assert.deepEqual(readFileSync(configFile), bytes);
  });

  test('an .xlsx with the enterprise number as a number cell applies cleanly with exit 0, and dossiers list shows the new folders', async () => {
    const [, c1, c2, c3] = companies as [SandboxCompany, SandboxCompany, SandboxCompany, SandboxCompany];
    const workbook = join(base, 'mapping.xlsx');
    await writeExcelFile([
      ['KBO', 'Naam', 'Map Venice'],
      [Number(c3.enterpriseNumber), c3.name, 'Vierde Dossier'],
      [Number(c1.enterpriseNumber), c1.name, 'Café Tweede'],
    ]).toFile(workbook);
    const result = await billsync(['dossiers', 'import', workbook, '--apply'], env);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.ok(result.stdout.includes('Totals: 2 rows: 1 set, 1 unchanged'), result.stdout);
    assert.ok(result.stdout.includes('1 dossier folder changed.'), result.stdout);

    const list = await billsync(['dossiers', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const folders = new Map((JSON.parse(list.stdout) as Array<{ partyId: number; folder: string }>).map((m) => [m.partyId, m.folder]));
    assert.equal(folders.get(c1.partyId), 'Café Tweede');
    assert.equal(folders.get(c2.partyId), '___.._Windows');
    assert.equal(folders.get(c3.partyId), 'Vierde Dossier');
  });

  test('usage and file problems exit 2 with one line that names the file, and touch nothing', async () => {
    const bytes = readFileSync(configFile);
    const missing = await billsync(['dossiers', 'import', join(base, 'nope.csv')], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim(), `billsync dossiers: ${join(base, 'nope.csv')} does not exist`);

    const xls = join(base, 'klanten.xls');
    writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const old = await billsync(['dossiers', 'import', xls, '--apply'], env);
    assert.equal(old.code, 2);
    assert.match(old.stderr, /klanten\.xls is an old-format Excel workbook \(\.xls\), which billsync does not read: open it and save it as \.xlsx \(Excel Workbook\) or \.csv/);

    const headerless = join(base, 'headerless.csv');
    writeFileSync(headerless, 'Naam;Nummer\nAcme;0123456749\n');
    const noHeader = await billsync(['dossiers', 'import', headerless, '--apply'], env);
    assert.equal(noHeader.code, 2);
    assert.match(noHeader.stderr, /headerless\.csv: no header row found: .*"ondernemingsnummer".*"dossiermap"/);

    const none = await billsync(['dossiers', 'import'], env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give exactly one file to import\nusage: billsync dossiers list/);
    const unknown = await billsync(['dossiers', 'map'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /billsync dossiers import FILE \[--apply\] \[--json\] \[--config FILE\]/);
    assert.deepEqual(readFileSync(configFile), bytes);
  });
});
