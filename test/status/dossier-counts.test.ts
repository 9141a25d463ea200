import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load-config.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { dossierCounts, needsAttention } from '../../src/status/view-dossier-counts.js';

const NOW = new Date('2026-12-15T10:00:00Z');

test('"to export" counts only what the dossier\'s policy sends at its next pass', () => {
  const ledger = Ledger.open(join(mkdtempSync(join(tmpdir(), 'billsync-counts-')), 'ledger.sqlite'), { now: () => NOW });
  const dossiers = { monthly: 11, frequent: 12, never: 13, off: 14, from: 15 } as const;
  for (const [name, partyId] of Object.entries(dossiers)) ledger.dossiers.upsert({ partyId, name, vatNumber: null, enterpriseNumber: null, folder: name });
  let n = 0;
  const seen = (partyId: number, documentDate: string | null) => {
    const row = ledger.documents.ensureSeen({ source: 'orders', billitId: String(++n), dossierPartyId: partyId, kind: 'purchase', billitLastModified: '2026-12-01T10:00:00' });
    ledger.search.record(row.id, { documentDate });
  };
  // Each dossier has an invoice of November (a full month ago) and one of December (this month).
  for (const partyId of Object.values(dossiers)) {
    seen(partyId, '2026-11-20');
    seen(partyId, '2026-12-02');
  }
  seen(dossiers.monthly, null); // no known date: counted rather than missed
  const config = parseConfig({
    policy: { frequency: 'last-month' },
    dossiers: {
      [dossiers.frequent]: { policy: { frequency: 'after-10-minutes' } },
      [dossiers.never]: { policy: { frequency: 'never' } },
      [dossiers.off]: { disabled: true },
      [dossiers.from]: { policy: { exportFrom: '2026-12-01', frequency: 'after-10-minutes' } },
    },
  });
  const counts = new Map(dossierCounts(ledger, config, NOW).map((c) => [c.partyId, c]));
  assert.equal(counts.get(dossiers.monthly)!.toExport, 2, 'November and the undated one; December goes after December ends');
  assert.equal(counts.get(dossiers.frequent)!.toExport, 2, 'after 10 minutes, both are due');
  assert.equal(counts.get(dossiers.never)!.toExport, 0, 'a dossier exported only by hand has nothing to do');
  assert.equal(counts.get(dossiers.off)!.toExport, 0, 'nor one that is switched off');
  assert.equal(counts.get(dossiers.from)!.toExport, 1, 'only what is dated from exportFrom on');
  assert.equal(needsAttention(counts.get(dossiers.never)!), false, 'the dashboard leaves it out');
  // In January, December's invoice is due too.
  assert.equal(dossierCounts(ledger, config, new Date('2027-01-02T10:00:00Z')).find((c) => c.partyId === dossiers.monthly)!.toExport, 3);
  ledger.close();
});
