import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addDays, brusselsDate, toBrusselsLocal } from '../../src/core/brussels-time.js';
import { lastFullMonth } from '../../src/core/months.js';
import { FREQUENCIES, type Frequency } from '../../src/core/policy.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv, sha256 } from '../support/export-env.js';
import { control, openSandbox } from '../support/sandbox.js';

interface Combination { frequency: Frequency; requireApproval: boolean; lockAfterExport: boolean; }

const COMBINATIONS: Combination[] = FREQUENCIES.flatMap((frequency) => [false, true].flatMap((requireApproval) =>
  [false, true].map((lockAfterExport) => ({ frequency, requireApproval, lockAfterExport }))));

const label = (c: Combination) => `${c.frequency}, approval ${c.requireApproval ? 'required' : 'not required'}, lock ${c.lockAfterExport ? 'on' : 'off'}`;

describe('every frequency × approval × lock combination, end to end', () => {
  let sandbox: Sandbox;
  const NOW = new Date();
  const inAnHour = () => new Date(NOW.getTime() + 60 * 60_000);
  before(async () => { sandbox = await openSandbox({ dossiers: COMBINATIONS.length, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  COMBINATIONS.forEach((combination, index) => {
    test(label(combination), async () => {
      const party = [...sandbox.world.dossiers.keys()][index]!;
      const lastMonthDate = `${addDays(lastFullMonth(NOW).from, 14)}T10:00:00`;
      const thisMonthDate = `${brusselsDate(NOW)}T09:00:00`;
      const hourAgo = toBrusselsLocal(new Date(NOW.getTime() - 60 * 60_000));
      const add = async (orderDate: string, approvalStatus: string, created: string) => (await control(sandbox, 'POST', 'documents', {
        partyId: party, count: 1, orderDate, approvalStatus, direction: 'Cost', type: 'Invoice', created,
      })).orderIds[0] as number;
      const pending = await add(lastMonthDate, 'Pending', hourAgo);
      const approved = await add(lastMonthDate, 'Approved', hourAgo);
      const fresh = await add(thisMonthDate, 'Approved', toBrusselsLocal(NOW));
      const env = exportEnv(sandbox, { policy: combination, dossiers: {} });
      const exported = (id: number) => env.files().some((f) => f.includes(sandbox.world.orders.get(id)!.plan.number.replace(/[^\w-]/g, '')));

      await env.sync({ dossier: party }, undefined, () => NOW);
      const automatic = combination.frequency !== 'never';
      assert.equal(exported(approved), automatic, 'an approved document of last month goes unless the policy is never');
      assert.equal(exported(pending), automatic && !combination.requireApproval, 'an unapproved document stays when approval is required');
      assert.equal(exported(fresh), false, 'a document created just now waits (this month; not yet 10 minutes old)');

      await control(sandbox, 'POST', 'approve', { orderIds: [pending] });
      const approvalsBefore = env.events.filter((e) => e.type === 'approvals').length;
      await env.sync({ dossier: party }, undefined, inAnHour);
      assert.equal(exported(pending), automatic, 'approving it makes it go on the next pass');
      assert.equal(exported(fresh), combination.frequency === 'after-10-minutes', 'after 10 minutes the fresh one goes too, in after-10-minutes');
      const approvals = env.events.filter((e) => e.type === 'approvals').slice(approvalsBefore);
      if (combination.requireApproval) {
        assert.equal(approvals.length, 1, 'exactly one approval event for the dossier');
        assert.equal(approvals[0]!.dossierPartyId, party);
        assert.match(approvals[0]!.message, /approved 1 document$/);
      } else {
        assert.equal(approvals.length, 0);
      }
      await env.sync({ dossier: party }, undefined, inAnHour);
      assert.equal(env.events.filter((e) => e.type === 'approvals').length, approvalsBefore + approvals.length, 'no second event for the same approval');

      if (automatic) {
        const edit = await fetch(`${sandbox.baseUrl}/_sandbox/orders/${approved}/edit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"note":"changed"}' });
        assert.equal(edit.status, combination.lockAfterExport ? 409 : 200, combination.lockAfterExport ? 'a locked order refuses edits' : 'without lock the entrepreneur may still edit');
        assert.equal(sandbox.world.orders.get(approved)!.exportedToConnector, combination.lockAfterExport);
      }

      // Manual export with "include already exported": everything again, nothing doubled.
      const before = env.files();
      const hashes = new Map(before.map((f) => [f, sha256(readFileSync(join(env.root, f)))]));
      await env.sync({ dossier: party, manual: { from: null, to: null, includeExported: true } }, undefined, inAnHour);
      const afterFiles = env.files();
      const changedAfterExport = automatic && !combination.lockAfterExport;
      assert.equal(afterFiles.length, 3 + (changedAfterExport ? 1 : 0), 'every document once, plus the new version of the one edited after export');
      for (const [file, hash] of hashes) assert.equal(sha256(readFileSync(join(env.root, file))), hash, `${file} left as it was`);
      if (changedAfterExport) assert.ok(afterFiles.some((f) => f.includes('(conflict 2)')), 'the changed version is written beside the first');
      const ledger = Ledger.open(env.ledgerFile);
      try {
        assert.ok(ledger.events.list({ limit: 50, type: 'document.reopened' }).length >= (automatic ? 2 : 0), 're-export recorded in the ledger');
      } finally {
        ledger.close();
      }
    });
  });

  test('a manual export re-delivers a file Venice already took, and only that one', async () => {
    const party = [...sandbox.world.dossiers.keys()][COMBINATIONS.length - 1]!;
    const env = exportEnv(sandbox, { policy: { frequency: 'after-10-minutes' } });
    await env.sync({ dossier: party }, undefined, inAnHour);
    const files = env.files();
    assert.ok(files.length >= 2);
    rmSync(join(env.root, files[0]!));
    const summary = await env.sync({ dossier: party, manual: { from: null, to: null, includeExported: true } }, undefined, inAnHour);
    assert.deepEqual(env.files(), files);
    assert.equal(summary.counts.exported, 1, 'only the missing file was written');
    const plain = await env.sync({ dossier: party, manual: { from: null, to: null, includeExported: false } }, undefined, inAnHour);
    assert.equal(plain.counts.exported, 0, 'without the option, exported documents are not sent again');
  });
});
