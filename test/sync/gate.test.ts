import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validateUbl } from '../../src/formats/ubl/validate-ubl.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv } from '../support/export-env.js';
import { control, openSandbox } from '../support/sandbox.js';

describe('the format gate in the engine', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('a UBL that fails goes to quarantine with a report, is not acknowledged, and goes once Billit serves a corrected one', async () => {
    const party = [...sandbox.world.dossiers.keys()][0]!;
    const { orderIds } = await control(sandbox, 'POST', 'documents', { partyId: party, count: 2, approvalStatus: 'Approved', direction: 'Cost', created: '2026-01-01T00:00:00' });
    const [bad, good] = orderIds as [number, number];
    await control(sandbox, 'POST', `orders/${bad}/damage`, { damaged: true });
    const env = exportEnv(sandbox);
    const first = await env.sync();
    assert.equal(first.counts.quarantined, 1);
    assert.equal(first.counts.exported, 1);
    assert.equal(sandbox.world.orders.get(bad)!.exportedToConnector, false, 'not acknowledged to Billit');
    assert.equal(sandbox.world.orders.get(good)!.exportedToConnector, true);
    assert.equal(env.files().length, 1, 'nothing of it in the Venice folders');
    const quarantineDir = join(env.dataDir, 'quarantine', String(party));
    const reports = readdirSync(quarantineDir).filter((f) => f.endsWith('.txt'));
    assert.equal(reports.length, 1);
    const report = readFileSync(join(quarantineDir, reports[0]!), 'utf8');
    assert.match(report, /BR-CO-16/);
    assert.ok(existsSync(join(quarantineDir, reports[0]!.replace(/\.txt$/, ''))), 'the file itself is kept beside its report');
    const event = env.events.find((e) => e.type === 'quarantined');
    assert.ok(event && event.documentId !== undefined);
    const ledger = Ledger.open(env.ledgerFile);
    assert.equal(ledger.documents.find('orders', String(bad))!.state, 'quarantined');
    ledger.close();

    const again = await env.sync();
    assert.equal(again.counts.quarantined + again.counts.exported, 0, 'unchanged in Billit: left in quarantine');

    await control(sandbox, 'POST', `orders/${bad}/damage`, { damaged: false });
    // Passes that export no invoices (approvals watch, CODA) must not hide the new version.
    await env.sync({ watchOnly: true });
    await env.sync({ kinds: ['coda'] });
    const fixed = await env.sync();
    assert.equal(fixed.counts.exported, 1, 'the corrected version goes');
    assert.equal(sandbox.world.orders.get(bad)!.exportedToConnector, true);
    assert.equal(env.files().length, 2);
  });

  test('a UBL without a PDF visual gets Billit\'s PDF embedded, and still validates', async () => {
    const party = [...sandbox.world.dossiers.keys()][0]!;
    await control(sandbox, 'POST', 'documents', { partyId: party, count: 6, approvalStatus: 'Approved', created: '2026-01-01T00:00:00' });
    const withoutPdf = [...sandbox.world.orders.values()].filter((o) => !o.embedPdf && o.companyId === party && !o.ublDamaged);
    assert.ok(withoutPdf.length > 0, 'some invoices come without a PDF of their own');
    const env = exportEnv(sandbox);
    await env.sync();
    const xml = env.files().filter((f) => f.endsWith('.xml'));
    assert.ok(xml.length >= withoutPdf.length);
    for (const file of xml) {
      const verdict = validateUbl(readFileSync(join(env.root, file)));
      assert.equal(verdict.valid, true, file);
      assert.equal(verdict.hasPdf, true, `${file} carries a PDF visual`);
    }
  });
});
