import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { NotificationPolicy, QUIET_MS } from '../../src/desktop/notification-policy.js';
import { RecordingNotifier } from '../../src/platform/notify.js';

test('one notification per kind and dossier per ten minutes; "back to normal" once after trouble', async () => {
  const notifier = new RecordingNotifier();
  let now = Date.parse('2026-12-03T10:00:00Z');
  const policy = new NotificationPolicy(notifier, () => now, {
    exportRoot: '/srv/venice', quarantine: '/data/quarantine', dossierFolder: (id) => `/srv/venice/Dossier ${id}`, statusPage: () => 'http://127.0.0.1:4000/?token=t',
  });
  const approvals = (dossier: number, count: number) => ({
    type: 'approvals', level: 'info' as const, dossierPartyId: dossier, message: `Dossier ${dossier} approved ${count} documents`, data: { count, dossier: `Dossier ${dossier}` },
  });

  await policy.onEvent(approvals(1, 12));
  await policy.onEvent(approvals(1, 3));
  await policy.onEvent(approvals(2, 1));
  assert.deepEqual(notifier.shown.map((n) => [n.message, n.target]), [
    ['Dossier 1 approved 12 documents', '/srv/venice/Dossier 1'], ['Dossier 2 approved 1 document', '/srv/venice/Dossier 2'],
  ], 'the second approvals of dossier 1 fall in its quiet time');
  await policy.onRunSucceeded();
  assert.equal(notifier.shown.length, 2, 'still quiet after the run');
  now += QUIET_MS;
  await policy.onRunSucceeded();
  assert.deepEqual(notifier.shown.slice(2).map((n) => n.message), ['Dossier 1 approved 3 documents'], 'the held approvals are told once the quiet time is over');
  now += QUIET_MS - 1;
  await policy.onEvent(approvals(1, 2));
  now += 1;
  await policy.onEvent(approvals(1, 4));
  assert.deepEqual(notifier.shown.slice(3).map((n) => n.message), ['Dossier 1 approved 6 documents'], 'held and new approvals are told together');
  await policy.onRunSucceeded();
  assert.equal(notifier.shown.length, 4, 'nothing is told twice');

  await policy.onEvent({ type: 'quarantined', level: 'warn', dossierPartyId: 1, message: 'x.xml quarantined: BR-CO-16' });
  assert.equal(notifier.shown.at(-1)!.target, join('/data/quarantine', '1'), 'clicking opens the dossier\'s quarantine folder');
  await policy.onEvent({ type: 'document-failed', level: 'error', message: 'not every event notifies' });
  assert.equal(notifier.shown.length, 5);

  await policy.onRunSucceeded();
  assert.equal(notifier.shown.length, 5, 'no "back to normal" without trouble');
  await policy.onEvent({ type: 'run-failed', level: 'error', message: 'export root /srv/venice cannot be reached (ENOENT): is the network share connected? Nothing was exported.' });
  await policy.onEvent({ type: 'run-failed', level: 'error', message: 'Billit rejected the API key (401 Unauthorized).' });
  assert.deepEqual(notifier.shown.slice(-2).map((n) => [n.title, n.target]), [
    ['Export folder unreachable', 'http://127.0.0.1:4000/?token=t'], ['Billit refused the API key', 'http://127.0.0.1:4000/?token=t'],
  ], 'an unreachable folder cannot be opened: the status page can');
  await policy.onRunSucceeded();
  await policy.onRunSucceeded();
  assert.deepEqual(notifier.shown.slice(-1).map((n) => [n.title, n.target]), [['billsync is back to normal', 'http://127.0.0.1:4000/?token=t']]);
  assert.equal(notifier.shown.filter((n) => n.title === 'billsync is back to normal').length, 1);
});
