import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { parseCents } from '../../src/core/money.js';
import { BillitHttpError } from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { clientFor, control, firstDossier, openSandbox, raw } from '../support/sandbox.js';

const UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

function worldDigest(sandbox: Sandbox): string {
  const hash = createHash('sha256');
  for (const file of [...sandbox.world.files.values()].sort((a, b) => a.fileId.localeCompare(b.fileId))) {
    hash.update(file.fileId).update(file.fileName).update(file.produce());
  }
  for (const order of sandbox.world.orders.values()) hash.update(JSON.stringify({ ...order, plan: order.plan.totals, counterparty: order.counterparty.partyId }));
  return hash.digest('hex');
}

describe('the sandbox as Billit', () => {
  let sandbox: Sandbox;
  let party: number;
  before(async () => {
    sandbox = await openSandbox({ docsPerDossier: 40 });
    party = firstDossier(sandbox);
  });
  after(() => sandbox.close());

  test('the same seed gives byte-identical data, another seed different data', async () => {
    const again = await openSandbox({ docsPerDossier: 40 });
    const other = await openSandbox({ docsPerDossier: 40, seed: 'other' });
    try {
      assert.equal(worldDigest(again), worldDigest(sandbox));
      assert.equal(again.apiKey, sandbox.apiKey);
      assert.notEqual(worldDigest(other), worldDigest(sandbox));
    } finally {
      await again.close();
      await other.close();
    }
  });

  test('purchase invoices received over Peppol come in an SBDH envelope whose UBL totals match the order', async () => {
    const client = clientFor(sandbox);
    const peppol = sandbox.world.companyOrders(party).filter((o) => o.viaPeppol);
    assert.ok(peppol.length > 3);
    for (const summary of peppol.slice(0, 5)) {
      const order = await client.order(party, summary.orderId);
      const attachment = order.Attachments?.find((a) => a.FileName?.endsWith('.xml'));
      assert.ok(attachment, 'the one .xml attachment is the UBL');
      const file = await client.file(party, attachment.FileID);
      const doc = new DOMParser().parseFromString(file.bytes.toString('utf8'), 'application/xml');
      assert.equal(doc.documentElement!.localName, 'StandardBusinessDocument');
      const invoice = doc.getElementsByTagNameNS(summary.type === 'Invoice' ? UBL_INVOICE : UBL_CREDIT, summary.type);
      assert.equal(invoice.length, 1);
      const payable = invoice[0]!.getElementsByTagNameNS(CBC, 'PayableAmount')[0]!.textContent!;
      assert.equal(parseCents(payable), parseCents(summary.plan.totals.payable));
      assert.equal(order.TotalIncl, Number(summary.plan.totals.taxInclusive));
    }
  });

  test('CODA files behind financialTransactions balance: old balance plus movements is the new balance', async () => {
    const client = clientFor(sandbox);
    const ids = new Set<string>();
    for await (const page of client.transactionPages(party)) for (const t of page.items) if (t.CodaFileID) ids.add(t.CodaFileID);
    assert.ok(ids.size >= 3);
    for (const id of ids) {
      const file = await client.file(party, id);
      const records = file.bytes.toString('latin1').split('\r\n').filter((line) => line.length > 0);
      assert.ok(records.every((r) => r.length === 128));
      const signed = (sign: string, digits: string) => (sign === '1' ? -1n : 1n) * BigInt(digits);
      const old = records.find((r) => r[0] === '1')!;
      const closing = records.find((r) => r[0] === '8')!;
      const movements = records.filter((r) => r.startsWith('21') && r.slice(6, 10) === '0000')
        .reduce((sum, r) => sum + signed(r[31]!, r.slice(32, 47)), 0n);
      assert.equal(signed(old[42]!, old.slice(43, 58)) + movements, signed(closing[41]!, closing.slice(42, 57)));
    }
  });

  test('PATCH ExportedToConnector marks an order exported; a non-patchable property is refused', async () => {
    const client = clientFor(sandbox);
    const order = sandbox.world.companyOrders(party)[0]!;
    await client.patchOrder(party, order.orderId, { ExportedToConnector: true });
    const notExported: number[] = [];
    for await (const o of client.orders(party, { filter: 'ExportedToConnector eq false' })) notExported.push(o.OrderID);
    assert.ok(!notExported.includes(order.orderId));
    assert.equal(notExported.length, sandbox.world.companyOrders(party).length - 1);
    const refused = await raw(sandbox, `/v1/orders/${order.orderId}`, { PartyID: String(party), 'Content-Type': 'application/json' },
      { method: 'PATCH', body: JSON.stringify({ TotalIncl: 1 }) });
    assert.equal(refused.status, 400);
    assert.match(refused.body.errors[0].Description, /TotalIncl/);
  });

  test('$top above 120 is refused, and list answers carry Items, NextPageLink and Count', async () => {
    const tooMany = await raw(sandbox, '/v1/orders?$top=1000', { PartyID: String(party) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.errors[0].Code, 'GenericError');
    const page = await raw(sandbox, '/v1/orders?$top=5', { PartyID: String(party) });
    assert.equal(page.body.Items.length, 5);
    assert.equal(page.body.Count, 40);
    assert.match(page.body.NextPageLink, /\$skip=5/);
  });

  test('deleted orders are listed by /v1/orders/deleted', async () => {
    const victim = sandbox.world.companyOrders(party).at(-1)!;
    await control(sandbox, 'POST', `orders/${victim.orderId}/delete`);
    const client = clientFor(sandbox);
    const deleted: number[] = [];
    for await (const page of client.deletedOrderPages(party)) deleted.push(...page.items.map((d) => d.OrderID));
    assert.deepEqual(deleted, [victim.orderId]);
    await assert.rejects(client.order(party, victim.orderId), (error: unknown) => error instanceof BillitHttpError && error.status === 404);
  });

  test('an upload to fast input with a used idempotency key is recognised as a duplicate', async () => {
    const client = clientFor(sandbox);
    const file = { fileName: 'bon.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), mimeType: 'application/pdf' };
    const first = await client.uploadToProcess(party, file, 'outbox-abc-1');
    assert.equal(first.duplicate, false);
    assert.equal(typeof first.uploadId, 'number');
    const second = await client.uploadToProcess(party, file, 'outbox-abc-1');
    assert.deepEqual(second, { uploadId: null, duplicate: true });
    assert.equal(sandbox.world.uploads.filter((u) => u.idempotencyKey === 'outbox-abc-1').length, 1);
  });

  test('a 409 that names another reason than the used key is an error, not "already uploaded"', async () => {
    const client = clientFor(sandbox);
    const file = { fileName: 'conflict.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), mimeType: 'application/pdf' };
    await control(sandbox, 'POST', 'faults', { kind: 'status', route: '/v1/toProcess', method: 'POST', status: 409, count: 1 });
    await assert.rejects(client.uploadToProcess(party, file, 'outbox-conflict-1'), (error: unknown) =>
      error instanceof BillitHttpError && error.status === 409 && /InternalServerError/.test(error.message));
    assert.equal(sandbox.world.uploads.filter((u) => u.idempotencyKey === 'outbox-conflict-1').length, 0, 'nothing was stored');
  });

  test('approving documents moves them to Approved and bumps LastModified', async () => {
    const pending = sandbox.world.companyOrders(party).find((o) => o.approvalStatus === 'Pending')!;
    const before = pending.lastModified;
    await control(sandbox, 'POST', 'clock', { advanceSeconds: 60 });
    const { approved } = await control(sandbox, 'POST', 'approve', { orderIds: [pending.orderId] });
    assert.deepEqual(approved, [pending.orderId]);
    const order = await clientFor(sandbox).order(party, pending.orderId);
    assert.equal(order.ApprovalStatus, 'Approved');
    assert.ok(order.LastModified > before);
  });
});

describe('billsync sandbox on the command line', () => {
  test('--json prints one line with baseUrl, apiKey and accountantPartyId, and the server answers', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli-entry.ts', 'sandbox', '--json', '--seed', 'cli', '--dossiers', '2', '--api-key', 'cli-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
      });
      const info = JSON.parse(line);
      assert.deepEqual(Object.keys(info).sort(), ['accountantPartyId', 'apiKey', 'baseUrl']);
      assert.equal(info.apiKey, 'cli-key');
      assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fetch(`${info.baseUrl}/v1/account/accountInformation`, { headers: { ApiKey: 'cli-key' } });
      assert.equal(((await answer.json()) as { Companies: unknown[] }).Companies.length, 2);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, 'SIGTERM stops the sandbox cleanly');
  });
});
