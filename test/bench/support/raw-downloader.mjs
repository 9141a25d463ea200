/**
 * The yardstick of the throughput benchmark: the plainest parallel downloader of the files billsync
 * fetches — the same `GET /v1/files/{id}` calls over the same loopback with the same number in
 * flight, base64 decoded and written to disk, with no checks, no ledger and no fsync.
 *
 * Plain JavaScript for the same reason as sync-child.mjs. Started by sync.bench.ts:
 *   node raw-downloader.mjs --list FILE --out DIR --concurrency N
 * where FILE holds {"baseUrl","apiKey","accountantPartyId","files":[{"partyId","fileId"}]}.
 * Prints one JSON line: files, bytes written, wall time, CPU time and peak RSS.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { list: { type: 'string' }, out: { type: 'string' }, concurrency: { type: 'string' } } });
const { baseUrl, apiKey, accountantPartyId, files } = JSON.parse(await readFile(values.list, 'utf8'));
const concurrency = Number(values.concurrency);
const made = new Map();
let next = 0;
let bytes = 0;

async function worker() {
  while (next < files.length) {
    const { partyId, fileId } = files[next++];
    const response = await fetch(`${baseUrl}/v1/files/${encodeURIComponent(fileId)}`, {
      headers: { Accept: 'application/json', ApiKey: apiKey, PartyID: String(partyId), ContextPartyID: String(accountantPartyId) },
    });
    if (!response.ok) throw new Error(`GET /v1/files/${fileId} answered ${response.status}`);
    const content = Buffer.from((await response.json()).FileContent, 'base64');
    const dir = join(values.out, String(partyId));
    if (!made.has(dir)) made.set(dir, mkdir(dir, { recursive: true }));
    await made.get(dir);
    await writeFile(join(dir, fileId), content);
    bytes += content.length;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const wallMs = performance.now() - started;
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
