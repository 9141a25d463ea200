import { parseArgs } from 'node:util';
import { BillitClient } from '../../billit/index.js';
import { startSandbox } from '../../sandbox/server.js';

/**
 * `billsync demo`: starts the local Billit sandbox and shows billsync's Billit client talking to it —
 * the accountant's dossiers, their invoices page by page, one UBL and one CODA file downloaded and
 * checked. Nothing is written to disk yet; the export engine will make this a full export.
 */
export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { seed: { type: 'string' }, dossiers: { type: 'string' } }, strict: true });
  const sandbox = await startSandbox({ seed: values.seed ?? 'demo', dossiers: Number(values.dossiers ?? 3), docsPerDossier: 150 });
  try {
    console.log(`Billit sandbox answering on ${sandbox.baseUrl}\n`);
    const client = new BillitClient({
      baseUrl: sandbox.baseUrl, credentials: { kind: 'apiKey', apiKey: sandbox.apiKey }, accountantPartyId: sandbox.accountantPartyId,
      ratePerSecond: 50, burst: 50,
    });
    const account = await client.accountInformation();
    console.log(`Account ${account.Email ?? '(no e-mail)'} may act for ${account.Companies.length} companies:`);
    for (const company of account.Companies) {
      let orders = 0;
      let pages = 0;
      let purchases = 0;
      let pendingApproval = 0;
      for await (const page of client.orderPages(company.PartyID, { orderBy: 'LastModified asc' })) {
        pages += 1;
        for (const order of page.items) {
          orders += 1;
          if (order.OrderDirection === 'Cost') purchases += 1;
          if (order.ApprovalStatus === 'Pending' || order.ApprovalStatus === 'ToApproveByMe') pendingApproval += 1;
        }
      }
      let codaFiles = new Set<string>();
      for await (const page of client.transactionPages(company.PartyID)) {
        codaFiles = new Set([...codaFiles, ...page.items.map((t) => t.CodaFileID).filter((id): id is string => Boolean(id))]);
      }
      console.log(`  ${company.Name} (${company.VATNumber}, PartyID ${company.PartyID}): ${orders} invoices and credit notes in ${pages} pages`
        + ` (${purchases} purchases, ${orders - purchases} sales, ${pendingApproval} waiting for approval), ${codaFiles.size} CODA files`);
    }
    const first = account.Companies[0];
    if (first) {
      const summary = (await client.orderPages(first.PartyID, { filter: "OrderDirection eq 'Cost'" }).next()).value?.items[0];
      if (summary) {
        const order = await client.order(first.PartyID, summary.OrderID);
        const ubl = order.Attachments?.find((a) => a.FileName?.toLowerCase().endsWith('.xml'));
        if (ubl) {
          const file = await client.file(first.PartyID, ubl.FileID);
          console.log(`\nDownloaded ${file.fileName}: ${file.bytes.length} bytes, SHA-256 ${file.sha256.slice(0, 16)}…`);
          console.log(`  starts with: ${file.bytes.subarray(0, 120).toString('utf8').replace(/\s+/g, ' ')}…`);
        }
      }
      const transaction = (await client.transactionPages(first.PartyID).next()).value?.items[0];
      if (transaction?.CodaFileID) {
        const coda = await client.file(first.PartyID, transaction.CodaFileID);
        const lines = coda.bytes.toString('latin1').split('\r\n').filter(Boolean);
        console.log(`Downloaded ${coda.fileName}: ${lines.length} CODA records of ${lines[0]?.length} characters`);
      }
    }
    const stats = sandbox.stats.toJSON() as { total: number };
    console.log(`\nThe sandbox answered ${stats.total} API requests. Start it on its own with: npx billsync sandbox`);
    return 0;
  } finally {
    await sandbox.close();
  }
}
