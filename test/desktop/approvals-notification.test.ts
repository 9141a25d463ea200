import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp } from '../../src/app/app-context.js';
import { startDesktopAgent } from '../../src/app/desktop-agent.js';
import { RecordingNotifier } from '../../src/platform/notify.js';
import { RecordingOpener } from '../../src/platform/open-target.js';
import { desktopConfig } from '../support/desktop.js';
import { control, openSandbox } from '../support/sandbox.js';

const quietLog = { info() {}, warn() {}, error() {}, close: async () => {} };

test('an entrepreneur approving 12 documents of one dossier gives exactly one notification naming the dossier and the count', async (t) => {
  const sandbox = await openSandbox({ dossiers: 3 });
  t.after(() => sandbox.close());
  const { configFile, dataDir } = desktopConfig(sandbox, 'billsync-approvals-', { policy: { frequency: 'last-month', requireApproval: true } });
  process.env.BILLSYNC_DATA_DIR = dataDir;
  const [partyId, otherPartyId] = [...sandbox.world.dossiers.keys()] as [number, number];
  // Twelve documents wait for the entrepreneur of one dossier, three for another who does nothing.
  await control(sandbox, 'POST', 'documents', { partyId, count: 12, approvalStatus: 'Pending' });
  await control(sandbox, 'POST', 'documents', { partyId: otherPartyId, count: 3, approvalStatus: 'Pending' });

  const app = await openApp(configFile);
  const notifier = new RecordingNotifier();
  const desktop = await startDesktopAgent(app, { log: quietLog, notifier, opener: new RecordingOpener().open, headless: true, onQuit: () => undefined });
  t.after(async () => { await desktop.stop(3000); app.close(); });
  const { agent } = desktop;
  // The start learns the dossiers and what waits for approval, and sends nothing yet.
  await agent.queue.idle();
  assert.equal(notifier.shown.length, 0);
  const waitingBefore = agent.status.snapshot().dossiers.find((d) => d.partyId === partyId)!.waitingApproval;
  assert.ok(waitingBefore >= 12, `the agent saw the 12 waiting documents (saw ${waitingBefore})`);

  const pending = [...sandbox.world.orders.values()].filter((o) => o.companyId === partyId && o.approvalStatus === 'Pending');
  await control(sandbox, 'POST', 'approve', { orderIds: pending.slice(0, 12).map((o) => o.orderId) });
  // The approvals tick of the scheduler, twice: the second finds nothing new.
  const tick = { trigger: 'approvals', dossiers: [partyId, otherPartyId], kinds: null, watchOnly: true };
  agent.queue.enqueue(tick);
  await agent.queue.idle();
  agent.queue.enqueue(tick);
  await agent.queue.idle();

  const name = sandbox.world.dossiers.get(partyId)!.name;
  assert.equal(notifier.shown.length, 1, JSON.stringify(notifier.shown));
  const [shown] = notifier.shown;
  assert.equal(shown!.title, 'Documents approved');
  assert.equal(shown!.message, `${name} approved 12 documents`);
  assert.equal(shown!.target, agent.status.snapshot().dossiers.find((d) => d.partyId === partyId)!.folder, 'a click opens the dossier folder');
  assert.equal(agent.status.snapshot().dossiers.find((d) => d.partyId === partyId)!.waitingApproval, waitingBefore - 12);
  // The second tick found nothing new: the engine reported the approvals once (the notifier's
  // ten-minute quiet time would hide a repeat, the audit trail does not).
  const reported = app.ledger.events.list({ limit: 10, type: 'approvals' });
  assert.deepEqual(reported.map((e) => [e.dossierPartyId, e.message]), [[partyId, `${name} approved 12 documents`]]);
});
