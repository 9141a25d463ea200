import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { monthlyJob } from '../../src/sync/run-sync.js';
import { nextMonthly, plannedRuns } from '../../src/status/view-schedule.js';

function ledgerWith(...partyIds: number[]): Ledger {
  const ledger = Ledger.open(join(mkdtempSync(join(tmpdir(), 'billsync-schedule-')), 'ledger.sqlite'));
  for (const partyId of partyIds) ledger.dossiers.upsert({ partyId, name: `Dossier ${partyId}`, vatNumber: null, enterpriseNumber: null, folder: `Dossier ${partyId}` });
  return ledger;
}

const config = (input: Partial<ConfigInput>) => parseConfig({ billit: { apiKey: 'k' }, exportRoot: '/srv/venice', ...input });
const summary = (runs: ReturnType<typeof plannedRuns>) => runs.map((r) => `${r.job} ${r.at.toISOString()} ${r.dossiers}`);

test('the next monthly run is day N at HH:MM in Brussels, this month or the next, across the new year and summer time', () => {
  // 3 December 2026, 14:00 in Brussels (CET, UTC+1).
  const now = new Date('2026-12-03T13:00:00Z');
  assert.equal(nextMonthly(now, 1, '06:00').toISOString(), '2027-01-01T05:00:00.000Z');
  assert.equal(nextMonthly(now, 15, '08:00').toISOString(), '2026-12-15T07:00:00.000Z');
  assert.equal(nextMonthly(now, 3, '14:00').toISOString(), '2027-01-03T13:00:00.000Z', 'the same minute has passed: next month');
  assert.equal(nextMonthly(now, 3, '14:01').toISOString(), '2026-12-03T13:01:00.000Z');
  // In April Brussels is on summer time (UTC+2).
  assert.equal(nextMonthly(new Date('2026-03-20T12:00:00Z'), 1, '06:00').toISOString(), '2026-04-01T04:00:00.000Z');
});

test('the dashboard\'s planned runs mirror the scheduler: monthly groups, catch-up, every minute, approvals, CODA', () => {
  const ledger = ledgerWith(1, 2, 3, 4, 5);
  try {
    const cfg = config({
      policy: { frequency: 'last-month' },
      dossiers: {
        2: { policy: { lastMonthDay: 15, lastMonthTime: '08:00', requireApproval: true } },
        3: { policy: { frequency: 'after-10-minutes' } },
        4: { policy: { frequency: 'never' } },
        5: { disabled: true },
      },
    });
    const now = new Date('2026-12-03T13:00:20Z');
    // Dossier 1's November run (1 December 06:00) happened; dossier 2 (15 November) never ran: it is caught up.
    ledger.schedule.completed(monthlyJob(1), new Date('2026-12-01T05:00:10Z'));
    assert.deepEqual(summary(plannedRuns(cfg, ledger, now)), [
      'after-10-minutes 2026-12-03T13:01:00.000Z 1',
      'catch-up 2026-12-03T13:01:00.000Z 1',
      'approvals 2026-12-03T13:15:00.000Z 1',
      'coda 2026-12-03T13:30:00.000Z 3',
      'monthly 2026-12-15T07:00:00.000Z 1',
      'monthly 2027-01-01T05:00:00.000Z 1',
    ]);
    assert.ok(plannedRuns(cfg, ledger, now).find((r) => r.job === 'after-10-minutes')!.everyMinute);
    // While paused until 18:00, nothing is planned before then.
    const paused = plannedRuns(cfg, ledger, now, new Date('2026-12-03T17:00:00Z'));
    assert.ok(paused.every((r) => r.at.getTime() > new Date('2026-12-03T17:00:00Z').getTime()), summary(paused).join('\n'));
  } finally {
    ledger.close();
  }
});

test('in feed mode the feed is polled every minute; before the first run, the dossiers are fetched every minute', () => {
  const now = new Date('2026-12-03T13:00:20Z');
  const ledger = ledgerWith(1, 2);
  try {
    assert.deepEqual(summary(plannedRuns(config({ billit: { apiKey: 'k', mode: 'feed' } }), ledger, now)), [
      'feed 2026-12-03T13:01:00.000Z 2',
      'coda 2026-12-03T13:30:00.000Z 2',
    ]);
  } finally {
    ledger.close();
  }
  const empty = ledgerWith();
  try {
    assert.deepEqual(summary(plannedRuns(config({}), empty, now)), ['startup 2026-12-03T13:01:00.000Z 0']);
  } finally {
    empty.close();
  }
});
