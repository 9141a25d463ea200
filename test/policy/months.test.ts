import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brusselsMonthOf, lastFullMonth, lastMonthlyDue } from '../../src/core/months.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv } from '../support/export-env.js';
import { control, openSandbox } from '../support/sandbox.js';

const ZONES = ['UTC', 'America/New_York'] as const;

/** Runs `fn` with the process time zone set to `zone`, and proves the zone is really in effect. */
async function inZone<T>(zone: string, fn: () => Promise<T> | T): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    const offset = new Date('2026-01-15T12:00:00Z').getTimezoneOffset();
    assert.equal(offset, zone === 'UTC' ? 0 : 300, `process time zone is ${zone}`);
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('month boundaries are Brussels months, whatever the machine\'s time zone', () => {
  for (const zone of ZONES) {
    test(`the last full month right after midnight in Brussels, with TZ=${zone}`, () => inZone(zone, () => {
      // 1 Nov 00:10 in Brussels is still 31 October in UTC and in New York.
      assert.equal(lastFullMonth(new Date('2026-10-31T23:10:00Z')).month, '2026-10');
      // Just before that midnight it is still October in Brussels.
      assert.equal(lastFullMonth(new Date('2026-10-31T22:50:00Z')).month, '2026-09');
      // 1 April 00:10 summer time (UTC+2), just after the spring change on 29 March.
      assert.equal(lastFullMonth(new Date('2026-03-31T22:10:00Z')).month, '2026-03');
      assert.equal(lastFullMonth(new Date('2026-03-31T21:50:00Z')).month, '2026-02');
      // A year boundary.
      assert.equal(lastFullMonth(new Date('2026-12-31T23:30:00Z')).month, '2026-12');
      assert.deepEqual(lastFullMonth(new Date('2027-01-15T12:00:00Z')), { month: '2026-12', from: '2026-12-01', until: '2027-01-01' });
      assert.equal(brusselsMonthOf('2026-10-31T23:30:00'), '2026-10');
      assert.equal(brusselsMonthOf('2026-11-01T00:30:00'), '2026-11');
      assert.equal(brusselsMonthOf('2026-10-31T23:30:00Z'), '2026-11', 'an explicit UTC time is converted');
    }));

    test(`the monthly run's due time is 06:00 Brussels in winter and in summer, with TZ=${zone}`, () => inZone(zone, () => {
      assert.equal(lastMonthlyDue(new Date('2026-12-03T10:00:00Z'), 1, '06:00').toISOString(), '2026-12-01T05:00:00.000Z');
      assert.equal(lastMonthlyDue(new Date('2026-07-03T10:00:00Z'), 1, '06:00').toISOString(), '2026-07-01T04:00:00.000Z');
      assert.equal(lastMonthlyDue(new Date('2026-12-01T04:59:00Z'), 1, '06:00').toISOString(), '2026-11-01T05:00:00.000Z');
      assert.equal(lastMonthlyDue(new Date('2026-04-05T00:00:00Z'), 5, '07:30').toISOString(), '2026-03-05T06:30:00.000Z');
    }));
  }
});

describe('documents either side of midnight land in their own month\'s run', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  for (const zone of ZONES) {
    test(`31 October 23:30 goes in October's run and 1 November 00:30 in November's, with TZ=${zone}`, () => inZone(zone, async () => {
      const party = [...sandbox.world.dossiers.keys()][0]!;
      const add = async (orderDate: string) => (await control(sandbox, 'POST', 'documents', {
        partyId: party, count: 1, orderDate, approvalStatus: 'Approved', direction: 'Cost', created: orderDate,
      })).orderIds[0] as number;
      const october = await add('2026-10-31T23:30:00');
      const november = await add('2026-11-01T00:30:00');
      const env = exportEnv(sandbox, { policy: { frequency: 'last-month' } });
      // The October run: 1 November 00:10 in Brussels (still 31 October in UTC and New York).
      await env.sync({}, undefined, () => new Date('2026-10-31T23:10:00Z'));
      assert.equal(sandbox.world.orders.get(october)!.exportedToConnector, true, 'October document in the October run');
      assert.equal(sandbox.world.orders.get(november)!.exportedToConnector, false, 'November document waits');
      assert.equal(env.files().length, 1);
      // The November run: 1 December 00:10 in Brussels.
      await env.sync({}, undefined, () => new Date('2026-11-30T23:10:00Z'));
      assert.equal(sandbox.world.orders.get(november)!.exportedToConnector, true, 'November document in the November run');
      assert.equal(env.files().length, 2);
      assert.ok(env.files().some((f) => f.includes('/Purchases/2026-10-31_')));
      assert.ok(env.files().some((f) => f.includes('/Purchases/2026-11-01_')));
      for (const id of [october, november]) sandbox.world.deleteOrder(id);
    }));
  }
});
