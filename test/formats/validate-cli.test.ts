import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { generateCompany } from '../../src/sandbox/data/company.js';
import { planCodaStatements } from '../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../src/sandbox/data/coda-render.js';
import { planInvoice } from '../../src/sandbox/data/invoice-plan.js';
import { Random } from '../../src/sandbox/data/random.js';
import { renderUbl } from '../../src/sandbox/data/ubl-render.js';

interface FileResult { file: string; format: string; valid: boolean; errors: Array<{ code: string; message: string }>; warnings: Array<{ code: string; message: string }>; }

function validate(files: string[]): Promise<{ code: number | null; report: { files: FileResult[] } | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli-entry.ts', 'validate', '--json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((done) => child.once('exit', (code) => done({ code, report: stdout ? JSON.parse(stdout) : null, stderr })));
}

/** The verdicts the corpus README lists (../shared/corpus, beside the checkout). */
const CORPUS = resolve('..', 'shared', 'corpus');
const INVALID = new Set([
  'oca_Ontvangen_CODA.2012-01-11-18.59.15.txt', 'php_sample2.cod', 'php_sample3.cod', 'php_sample4.cod', 'php_sample5.cod',
  'php_sample6.cod', 'php_sample7.cod', 'php_sample9.cod', 'pycoda_Coda_faulty_version.txt', 'pycoda_Coda_v2_3_faulty_globalisation_2.txt',
  'pycoda_Coda_v2_3_globalisation_2.txt', 'triptyk_sample2.cod', 'triptyk_sample6.cod',
]);

describe('billsync validate', () => {
  test('sniffs the format from the content, reports JSON in the documented shape, and exits 1 for an invalid file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsync-validate-'));
    const rnd = new Random('validate-cli');
    const supplier = generateCompany(rnd, 1);
    const customer = generateCompany(rnd, 2);
    const ubl = renderUbl(planInvoice(rnd, { kind: 'Invoice', number: 'F-1', issueDate: '2026-11-02', dueDate: '2026-12-02', supplier, customer }), {});
    writeFileSync(join(dir, 'invoice.txt'), ubl);
    writeFileSync(join(dir, 'statement.xml'), renderCoda(planCodaStatements(rnd, supplier, { fromDate: '2026-11-02', toDate: '2026-11-06', openingBalanceCents: 100_000n, counterparties: [customer] })));
    writeFileSync(join(dir, 'broken.xml'), ubl.toString('utf8').replace(/<cbc:PayableAmount currencyID="EUR">([\d.]+)</, '<cbc:PayableAmount currencyID="EUR">9999999.99<'));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const ok = await validate([join(dir, 'invoice.txt'), join(dir, 'statement.xml')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(ok.report!.files.map((f) => [f.format, f.valid]), [['ubl', true], ['coda', true]]);
    const bad = await validate([join(dir, 'broken.xml'), join(dir, 'notes.txt')]);
    assert.equal(bad.code, 1);
    const [broken, notes] = bad.report!.files;
    assert.equal(broken!.valid, false);
    assert.ok(broken!.errors.some((e) => e.code === 'BR-CO-16'), JSON.stringify(broken!.errors));
    assert.deepEqual(Object.keys(broken!.errors[0]!).sort(), ['code', 'message']);
    assert.equal(notes!.format, 'unknown');
    const usage = await validate([]);
    assert.equal(usage.code, 2);
  });

  test('the real-world corpus gives exactly the verdicts of its README', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside this checkout' }, async () => {
    const ubl = readdirSync(join(CORPUS, 'ubl')).filter((f) => f.endsWith('.xml')).map((f) => join(CORPUS, 'ubl', f));
    const coda = readdirSync(join(CORPUS, 'coda')).filter((f) => f !== 'SOURCES.md').map((f) => join(CORPUS, 'coda', f));
    assert.equal(ubl.length, 8);
    assert.equal(coda.length, 23);
    const result = await validate([...ubl, ...coda]);
    assert.equal(result.code, 1, 'some corpus files are invalid');
    for (const file of result.report!.files) {
      const name = file.file.split('/').pop()!;
      assert.equal(file.format, file.file.includes('/ubl/') ? 'ubl' : 'coda', name);
      assert.equal(file.valid, !INVALID.has(name), `${name}: ${JSON.stringify(file.errors.slice(0, 3))}`);
    }
    const base = result.report!.files.find((f) => f.file.endsWith('peppol-bis3-base-example.xml'))!;
    assert.ok(base.warnings.some((w) => /PDF/.test(w.code)), 'no PDF visual: a warning');
    const duplicate = result.report!.files.find((f) => f.file.endsWith('pycoda_Coda_v2_3_globalisation.txt'))!;
    assert.ok(duplicate.warnings.some((w) => w.code === 'CODA-DUPLICATE'));
  });
});
