import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import writeExcelFile from 'write-excel-file/node';
import { parseConfig } from '../../src/config/load-config.js';
import type { SandboxCompany } from '../../src/sandbox/data/company.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { importRoutes } from '../../src/status/pages/import.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

/** The hidden fields of the preview's Apply form, as the browser would send them back. */
function applyFields(page: string): Record<string, string> {
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const form = /<form method="post" action="\/import\/apply">([\s\S]*?)<\/form>/.exec(page);
  assert.ok(form, 'the preview has an Apply form');
  const fields: Record<string, string> = {};
  for (const [, name, value] of form[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (name !== '_token') fields[name!] = unescape(value!);
  }
  return fields;
}

function upload(bytes: Uint8Array, fileName: string): FormData {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), fileName);
  return form;
}

describe('dossier import page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let companies: SandboxCompany[];
  let workbook: Buffer;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 4, docsPerDossier: 1 });
    companies = [...sandbox.world.dossiers.values()];
    env = await openStatusPage(sandbox, importRoutes);
    const [c0, c1] = companies as [SandboxCompany, SandboxCompany];
    // Excel keeps an enterprise number typed as a number without its leading 0; the import copes.
    workbook = await writeExcelFile([
      ['Ondernemingsnummer', 'Naam', 'E-mail', 'Map Venice'],
      [Number(c0.enterpriseNumber), c0.name, c0.email, 'Venice 001'],
      [`BE ${c1.enterpriseNumber.slice(0, 4)}.${c1.enterpriseNumber.slice(4, 7)}.${c1.enterpriseNumber.slice(7)}`, c1.name, c1.email, 'Venice 002'],
      ['0123.456.748', 'Niet bestaand', 'info@example.be', 'Venice 999'],
    ]).toBuffer();
  });
  after(async () => {
    await env.close();
    await sandbox.close();
  });

  test('the upload page explains the columns and has a labelled file field', async () => {
    const body = await (await env.get('/import')).text();
    assert.match(body, /enctype="multipart\/form-data"/);
    assert.match(body, /<label for="field-file">/);
    assert.match(body, /“ondernemingsnummer”/);
  });

  test('uploading shows a preview of every row and changes nothing', async () => {
    const before = readFileSync(env.configFile);
    const response = await env.post('/import', upload(workbook, 'mapping.xlsx'));
    const body = await response.text();
    assert.equal(response.status, 200);
    assert.match(body, /Dit is een voorbeeld: er is nog niets gewijzigd/);
    assert.match(body, /Kopregel op regel 1/);
    assert.ok(body.includes('Venice 001') && body.includes('Venice 002'));
    assert.match(body, /Onbekend bedrijf|Ongeldig nummer/);
    assert.match(body, /Toepassen: 2 dossiermappen wijzigen/);
    assert.ok(!body.includes(companies[0]!.email), 'columns the import does not use stay out of the page');
    assert.ok(readFileSync(env.configFile).equals(before), 'the configuration file is untouched by a preview');
  });

  test('Apply saves exactly the previewed folder overrides and nothing else', async () => {
    const before = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
    const preview = await (await env.post('/import', upload(workbook, 'mapping.xlsx'))).text();
    const response = await env.post('/import/apply', applyFields(preview));
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/import?applied=2&problems=1');
    const done = await (await env.get(response.headers.get('location')!)).text();
    assert.match(done, /Opgeslagen: 2 dossiermappen gewijzigd/);
    assert.match(done, /1 regel\(s\) konden niet toegepast worden/);

    const afterConfig = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
    assert.deepEqual(afterConfig.dossiers, {
      [String(companies[0]!.partyId)]: { folder: 'Venice 001' },
      [String(companies[1]!.partyId)]: { folder: 'Venice 002' },
    });
    assert.deepEqual({ ...afterConfig, dossiers: {} }, { ...before, dossiers: {} }, 'every other setting is as it was');
    assert.deepEqual(env.app.config.dossiers, afterConfig.dossiers, 'the running agent has the new mapping');
  });

  test('Apply refuses when the plan changed since the preview, and saves nothing', async () => {
    const csv = `KBO;Dossiermap\n${companies[2]!.enterpriseNumber};Venice 003\n`;
    const preview = await (await env.post('/import', upload(Buffer.from(csv, 'utf8'), 'mapping.csv'))).text();
    const fields = applyFields(preview);
    // Meanwhile someone gives that dossier the same folder another way (the CLI, an editor).
    await env.context.saveConfig((current) => ({ ...current, dossiers: { ...current.dossiers, [String(companies[2]!.partyId)]: { folder: 'Venice 003' } } }));
    const before = readFileSync(env.configFile);
    const response = await env.post('/import/apply', fields);
    assert.equal(response.status, 409);
    const again = await response.text();
    assert.match(again, /Sinds het voorbeeld is er iets veranderd/);
    assert.match(again, /Er is niets te wijzigen/, 'the new preview shows what Apply would do now');
    assert.ok(readFileSync(env.configFile).equals(before));
    assert.equal((await env.post('/import/apply', { ...fields, digest: 'not-the-previewed-plan' })).status, 409);
    assert.ok(readFileSync(env.configFile).equals(before));
    const tampered = await env.post('/import/apply', { ...fields, table: '{"not":"rows"}' });
    assert.equal(tampered.status, 400);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('a file billsync cannot read is refused with what to do, and nothing changes', async () => {
    const before = readFileSync(env.configFile);
    const response = await env.post('/import', upload(Buffer.from('%PDF-1.7\n'), 'mapping.pdf'));
    assert.equal(response.status, 400);
    assert.match(await response.text(), /bewaar het als Excel-werkmap \(\.xlsx\) of als \.csv/);
    const noHeader = await env.post('/import', upload(Buffer.from('a;b\n1;2\n'), 'mapping.csv'));
    assert.equal(noHeader.status, 400);
    assert.match(await noHeader.text(), /Geen kopregel gevonden/);
    assert.ok(readFileSync(env.configFile).equals(before));
  });
});
