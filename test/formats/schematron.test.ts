import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runSchematron, svrlFindings } from '../../src/formats/ubl/schematron.js';
import { loadSchematronDir, SchematronError } from '../../src/platform/schematron-compiler.js';
import { generateCompany } from '../../src/sandbox/data/company.js';
import { planInvoice } from '../../src/sandbox/data/invoice-plan.js';
import { Random } from '../../src/sandbox/data/random.js';
import { renderUbl } from '../../src/sandbox/data/ubl-render.js';

/** A stand-in for the official artefacts: an XSLT that writes SVRL, as compiled Schematron does. */
const RULES = `<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:svrl="http://purl.oclc.org/dsdl/svrl" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <xsl:template match="/">
    <svrl:schematron-output>
      <xsl:if test="starts-with(/*/cbc:ID, 'BAD')">
        <svrl:failed-assert id="TEST-R001" flag="fatal" location="/*:Invoice[1]/*:ID[1]"><svrl:text>The invoice number must not start with BAD</svrl:text></svrl:failed-assert>
      </xsl:if>
      <svrl:successful-report id="TEST-W001" flag="warning" location="/*:Invoice[1]"><svrl:text>Checked by the test artefact</svrl:text></svrl:successful-report>
    </svrl:schematron-output>
  </xsl:template>
</xsl:stylesheet>`;

function invoice(number: string): Buffer {
  const rnd = new Random(`schematron-${number}`);
  return renderUbl(planInvoice(rnd, { kind: 'Invoice', number, issueDate: '2026-11-02', dueDate: '2026-12-02', supplier: generateCompany(rnd, 1), customer: generateCompany(rnd, 2) }), {});
}

describe('optional official validation artefacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-sch-'));
  writeFileSync(join(dir, 'TEST-UBL.xslt'), RULES);
  const cache = join(dir, 'cache');

  test('an XSLT folder is compiled once into the cache and its SVRL becomes findings with their own ids', async () => {
    const sets = await loadSchematronDir(dir, cache);
    assert.equal(sets.length, 1);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.sef.json')).length, 1);
    const again = await loadSchematronDir(dir, cache);
    assert.equal(again[0]!.sef, sets[0]!.sef, 'the cached compilation is reused');
    const bad = runSchematron(sets, invoice('BAD-1').toString('utf8'));
    assert.deepEqual(bad.map((f) => [f.code, f.severity]), [['TEST-R001', 'error'], ['TEST-W001', 'warning']]);
    assert.match(bad[0]!.message, /must not start with BAD \(TEST-UBL\.xslt\)/);
    assert.equal(bad[0]!.location, '/*:Invoice[1]/*:ID[1]');
    const good = runSchematron(sets, invoice('F-1').toString('utf8'));
    assert.deepEqual(good.map((f) => f.code), ['TEST-W001']);
  });

  test('a folder without stylesheets or with a broken one is refused with a message naming it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'billsync-sch-empty-'));
    await assert.rejects(loadSchematronDir(empty, cache), (e: unknown) => e instanceof SchematronError && /holds no \.xsl or \.xslt file/.test(e.message));
    const broken = mkdtempSync(join(tmpdir(), 'billsync-sch-broken-'));
    writeFileSync(join(broken, 'broken.xsl'), '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="(("/></xsl:template></xsl:stylesheet>');
    await assert.rejects(loadSchematronDir(broken, cache), (e: unknown) => e instanceof SchematronError && /broken\.xsl does not compile/.test(e.message));
  });

  test('SVRL flags map to severities', () => {
    const svrl = '<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl"><svrl:failed-assert id="A" flag="error"><svrl:text>x</svrl:text></svrl:failed-assert><svrl:failed-assert id="B" flag="information"><svrl:text>y</svrl:text></svrl:failed-assert></svrl:schematron-output>';
    assert.deepEqual(svrlFindings('s', svrl).map((f) => [f.code, f.severity]), [['A', 'error'], ['B', 'warning']]);
  });

  test('billsync validate --schematron merges the artefacts\' findings', async () => {
    writeFileSync(join(dir, 'bad.xml'), invoice('BAD-2'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli-entry.ts', 'validate', '--json', '--schematron', dir, join(dir, 'bad.xml')], {
      env: { ...process.env, BILLSYNC_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    const file = JSON.parse(stdout).files[0];
    assert.equal(file.valid, false);
    assert.ok(file.errors.some((e: { code: string }) => e.code === 'TEST-R001'));
  });
});
