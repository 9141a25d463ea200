import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotificationPolicy, QUIET_MS } from '../../src/desktop/notification-policy.js';
import { RecordingNotifier } from '../../src/platform/notify.js';

test('one notification per kind and dossier per ten minutes; "back to normal" once after trouble', async () => {
  const notifier = new RecordingNotifier();
  let now = Date.parse('2026-12-03T10:00:00Z');
  const policy = new NotificationPolicy(notifier, () => now, { exportRoot: '/srv/venice', quarantine: '/data/quarantine' });
  const approvals = (dossier: number, count: number) => ({ type: 'approvals', level: 'info' as const, dossierPartyId: dossier, message: `Jansen BV approved ${count} documents` });

  await policy.onEvent(approvals(1, 12));
  await policy.onEvent(approvals(1, 3));
  await policy.onEvent(approvals(2, 1));
  assert.deepEqual(notifier.shown.map((n) => n.message), ['Jansen BV approved 12 documents', 'Jansen BV approved 1 documents']);
  now += QUIET_MS;
  await policy.onEvent(approvals(1, 4));
  assert.equal(notifier.shown.length, 3, 'after ten minutes the same dossier may notify again');

  await policy.onEvent({ type: 'quarantined', level: 'warn', dossierPartyId: 1, message: 'x.xml quarantined: BR-CO-16' });
  assert.equal(notifier.shown.at(-1)!.target, '/data/quarantine', 'clicking opens the quarantine folder');
  await policy.onEvent({ type: 'document-failed', level: 'error', message: 'not every event notifies' });
  assert.equal(notifier.shown.length, 4);

  await policy.onRunSucceeded();
  assert.equal(notifier.shown.length, 4, 'no "back to normal" without trouble');
  await policy.onEvent({ type: 'run-failed', level: 'error', message: 'export root /srv/venice cannot be reached (ENOENT): is the network share connected? Nothing was exported.' });
  await policy.onEvent({ type: 'run-failed', level: 'error', message: 'Billit rejected the API key (401 Unauthorized).' });
  assert.deepEqual(notifier.shown.slice(-2).map((n) => n.title), ['Export folder unreachable', 'Billit refused the API key']);
  await policy.onRunSucceeded();
  await policy.onRunSucceeded();
  assert.deepEqual(notifier.shown.slice(-1).map((n) => n.title), ['billsync is back to normal']);
  assert.equal(notifier.shown.filter((n) => n.title === 'billsync is back to normal').length, 1);
});
