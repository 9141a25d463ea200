import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, writeSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toBrusselsLocal } from '../../src/core/brussels-time.js';
import { isTempName } from '../../src/platform/fs/atomic-write.js';
import { Random } from '../../src/sandbox/data/random.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { pdfBytes, uploads, type Upload } from '../desktop/watchers/watch-helpers.js';
import { startSlowFront, type SlowFront } from './slow-front.js';
import { expectedHashes, expectedOrderHashes, listExportTree } from '../support/invariants.js';
import { control, openSandbox } from '../support/sandbox.js';
import {
  assertAnyInstant, assertFinal, prepareCli, crashEnv, discard, killLeftovers, launch, readLedger, runClean, sleep, waitFor, KillTally,
  type CliChoice, type CrashEnv,
} from './crash-harness.js';

/*
 * Crash suite, phase (c): `billsync run --headless` SIGKILLed at 30 seeded random instants while
 * files wait in dossiers' Outbox/ folders (product.md §8). Billit's fast input answers slowly (a
 * slow front before it, see slow-front.ts), so kills land while uploads are in flight: after the request
 * reached Billit but before billsync recorded the answer, the next start must send the same
 * idempotency key and get a 409 duplicate, not make a second upload. At the end every dropped file
 * reached Billit exactly once (by content, GET /_sandbox/uploads), sits in Outbox/sent/ exactly once,
 * and Outbox/ holds nothing else but what failed, each with its reason.
 */

const KILLS = 30;
/** Kills come 0…WINDOW_MS after the first upload of a start reaches the sandbox (about three uploads). */
const WINDOW_MS = 1000;
/** Each upload: this long before Billit handles it, and this long before its answer leaves. */
const BEFORE_MS = 120;
const AFTER_MS = 200;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface Dropped {
  folder: string;
  partyId: number;
  name: string;
  sha256: string;
  size: number;
  /** Billit's fast input reads it (PDF, JPEG, PNG); the others must go to failed/ with a reason. */
  valid: boolean;
}

interface OutboxRow { dossierPartyId: number; fileName: string; sha256: string; idempotencyKey: string; state: string; uploadId: number | null; error: string | null }

const outboxRows = (env: CrashEnv): OutboxRow[] => readLedger(env.ledgerFile, (db) => db.prepare(`SELECT dossier_party_id AS dossierPartyId, file_name AS fileName,
  sha256, idempotency_key AS idempotencyKey, state, upload_id AS uploadId, error FROM outbox_uploads ORDER BY id`).all() as OutboxRow[]) ?? [];

/** A small file of the given kind whose bytes are unique to `seed`. */
function fileBytes(kind: 'pdf' | 'jpeg' | 'png' | 'other', seed: string): Buffer {
  const noise = Buffer.from(createHash('sha512').update(seed).digest('hex').repeat(40));
  if (kind === 'pdf') return pdfBytes(seed, 4000);
  if (kind === 'jpeg') return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise, Buffer.from([0xff, 0xd9])]);
  if (kind === 'png') return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise, Buffer.from('0000000049454e44ae426082', 'hex')]);
  return Buffer.from(`Notities bij de aangifte ${seed}\r\n${noise.toString('latin1')}`);
}

describe('crash suite: Outbox upload', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'crash-outbox', dossiers: 3, docsPerDossier: 6, otherDocsPerDossier: 1, codaDays: 2 }); });
  let front: SlowFront;
  before(async () => {
    // Billit's fast input is slow: each upload waits before Billit handles it (a kill then loses the
    // request) and again before the answer leaves (a kill then loses only the answer).
    front = await startSlowFront(sandbox.baseUrl, (method, path) => (method === 'POST' && path === '/v1/toProcess' ? { beforeMs: BEFORE_MS, afterMs: AFTER_MS } : null));
  });
  after(async () => { await killLeftovers(); await front.close(); await sandbox.close(); });

  let cli: CliChoice;
  let env: CrashEnv;
  let dossiers: Array<{ partyId: number; folder: string }>;
  let expected: Set<string>;
  const dropped: Dropped[] = [];

  /** Writes a file into a dossier's Outbox as a finished copy appears (hidden name first, then a rename). */
  const drop = (rnd: Random, validOnly = false): Dropped => {
    const dossier = rnd.pick(dossiers);
    const n = dropped.length + 1;
    const kind = !validOnly && rnd.chance(0.15) ? 'other' : rnd.pick(['pdf', 'pdf', 'jpeg', 'png'] as const);
    const name = { pdf: `Aankoopfactuur ${n}.pdf`, jpeg: `Kasticket ${n}.jpg`, png: `Scan ${n}.png`, other: `Notities ${n}.docx` }[kind];
    const bytes = fileBytes(kind, `crash-outbox-${n}`);
    const outbox = join(env.root, dossier.folder, 'Outbox');
    writeFileSync(join(outbox, `.copying-${n}`), bytes);
    renameSync(join(outbox, `.copying-${n}`), join(outbox, name));
    const file = { folder: dossier.folder, partyId: dossier.partyId, name, sha256: sha256(bytes), size: bytes.length, valid: kind !== 'other' };
    dropped.push(file);
    return file;
  };

  /** Every non-hidden file of each Outbox tree: relative path (dossier folder first) → sha256. */
  const outboxFiles = (): Array<{ path: string; sha256: string; where: 'outbox' | 'sent' | 'failed' | 'other' }> => dossiers.flatMap((dossier) => {
    const outbox = join(env.root, dossier.folder, 'Outbox');
    return listExportTree(outbox).filter((path) => !isTempName(path.split('/').pop()!) && !path.split('/').pop()!.startsWith('.')).map((path) => {
      const parts = path.split('/');
      const where = parts.length === 1 ? 'outbox' : parts.length === 2 && (parts[0] === 'sent' || parts[0] === 'failed') ? parts[0] : 'other';
      return { path: `${dossier.folder}/Outbox/${path}`, sha256: sha256(readFileSync(join(outbox, path))), where };
    });
  });

  /**
   * What must hold at every instant in the Outbox: each dropped file is in exactly one place of its
   * own dossier's Outbox tree (moves are renames, so never lost and never copied); nothing else is
   * there but reason files; Billit never received a content twice, a key twice, or bytes that are
   * not a whole valid dropped file.
   */
  const outboxViolations = async (label: string): Promise<string[]> => {
    const violations: string[] = [];
    const files = outboxFiles();
    const reasons = new Set(files.filter((f) => f.where === 'failed' && f.path.endsWith('.txt')).map((f) => f.path));
    for (const file of dropped) {
      const copies = files.filter((f) => f.sha256 === file.sha256);
      if (copies.length !== 1) violations.push(`${file.folder}/Outbox/${file.name} is in ${copies.length} places: ${copies.map((c) => c.path).join(', ')}`);
      else if (!copies[0]!.path.startsWith(`${file.folder}/Outbox/`)) violations.push(`${file.name} left its dossier's Outbox: ${copies[0]!.path}`);
    }
    const known = new Set(dropped.map((f) => f.sha256));
    for (const file of files) {
      if (!known.has(file.sha256) && !reasons.has(file.path)) violations.push(`${file.path} is in an Outbox but is no file that was dropped`);
      if (file.where === 'other') violations.push(`${file.path} is somewhere billsync never moves files to`);
    }
    const received = await uploads(sandbox);
    const bySha = new Map<string, Upload[]>();
    for (const upload of received) bySha.set(upload.sha256, [...(bySha.get(upload.sha256) ?? []), upload]);
    const valid = new Map(dropped.filter((f) => f.valid).map((f) => [f.sha256, f]));
    for (const [digest, list] of bySha) {
      const file = valid.get(digest);
      if (!file) violations.push(`Billit received ${list.length} upload(s) of bytes that are no whole valid dropped file (sha256 ${digest.slice(0, 12)}…, ${list[0]!.fileName}, ${list[0]!.size} bytes)`);
      else if (list.some((u) => u.partyId !== file.partyId)) violations.push(`${file.name} was uploaded to another dossier`);
      if (list.length > 1) violations.push(`Billit received ${list[0]!.fileName} ${list.length} times (upload ids ${list.map((u) => u.uploadId).join(', ')})`);
    }
    const keys = received.map((u) => u.idempotencyKey);
    if (keys.some((key) => key === null)) violations.push('an upload was sent without an idempotency key');
    if (new Set(keys).size !== keys.length) violations.push('two accepted uploads carry the same idempotency key');
    return violations.map((v) => `${label}: ${v}`);
  };

  test('setup: the dossiers are exported and have their Outbox folders', async () => {
    cli = await prepareCli();
    env = crashEnv(sandbox, 'outbox', { baseUrl: front.baseUrl });
    await runClean(cli, env, ['sync', '--json']);
    dossiers = readLedger(env.ledgerFile, (db) => db.prepare('SELECT party_id AS partyId, folder FROM dossiers ORDER BY party_id').all() as Array<{ partyId: number; folder: string }>) ?? [];
    assert.equal(dossiers.length, 3);
    for (const dossier of dossiers) mkdirSync(join(env.root, dossier.folder, 'Outbox'), { recursive: true });
    expected = expectedHashes(sandbox);
  });

  test(`${KILLS} SIGKILLs of billsync run --headless during Outbox uploads: every dropped file reaches Billit once and lands in sent/ once`, async () => {
    const started = Date.now();
    const rnd = new Random('crash-suite/outbox');
    const tally = new KillTally('outbox');
    let inFlightAtSandbox = 0;
    let uploadingLeft = 0;
    const arrivals = (): number => front.arrivals;

    // Until KILLS processes were really killed (a run may end before its kill comes): the suite counts 100 in all.
    for (let i = 0; tally.kills < KILLS && i < KILLS * 2; i++) {
      // The accountant drops a few files while billsync is down (it was just killed) …
      drop(rnd, true);
      for (let n = rnd.int(0, 2); n > 0; n--) drop(rnd);
      // … and documents keep arriving in Billit, for the agent's own export runs.
      if (rnd.chance(0.3)) {
        const { orderIds } = await control(sandbox, 'POST', 'documents', {
          partyId: rnd.pick(dossiers).partyId, count: rnd.int(1, 3), approvalStatus: 'Approved', created: toBrusselsLocal(new Date(Date.now() - 20 * 60_000)),
        }) as { orderIds: number[] };
        expected = new Set([...expected, ...expectedOrderHashes(sandbox, orderIds)]);
      }
      const before = arrivals();
      const spawnedAt = Date.now();
      const agent = launch(cli, env, ['run', '--headless']);
      const signalled = (await waitFor(() => arrivals() > before, { timeoutMs: 30_000, intervalMs: 5, stop: () => !agent.running() })) !== null;
      const startupMs = Date.now() - spawnedAt;
      if (!agent.running()) assert.fail(`start ${i}: billsync run exited by itself: ${(await agent.exited).output}`);
      assert.ok(signalled, `start ${i}: no Outbox upload within 30 s of the start`);
      const delayMs = rnd.int(0, WINDOW_MS);
      // Sometimes one more file is dropped while billsync runs (it waits for the file to settle).
      if (rnd.chance(0.3)) drop(rnd);
      await sleep(delayMs);
      const inFlight = front.inFlight > 0;
      agent.kill();
      const outcome = await agent.exited;
      assert.equal(outcome.signal, 'SIGKILL', `start ${i}: billsync run ended with exit ${outcome.code} before its kill: ${outcome.output}`);
      const uploading = outboxRows(env).filter((row) => row.state === 'uploading').length;
      if (inFlight) inFlightAtSandbox += 1;
      if (uploading > 0) uploadingLeft += 1;
      tally.add({ killed: true, midRun: inFlight || uploading > 0, inFlight, signalled, startupMs, delayMs });

      const label = `after kill ${i} (${delayMs} ms after the first upload)`;
      await assertAnyInstant(env, expected, label);
      assert.deepEqual(await outboxViolations(label), []);
    }

    // The restart after the last kill: the export is finished by a sync, the Outbox by the agent,
    // which is then stopped the way a service manager stops it.
    await runClean(cli, env, ['sync', '--json']);
    const agent = launch(cli, env, ['run', '--headless']);
    const settled = await waitFor(() => {
      const files = outboxFiles();
      const waiting = files.filter((f) => f.where === 'outbox').length;
      const rows = outboxRows(env);
      return waiting === 0 && rows.length >= dropped.length && rows.every((row) => row.state !== 'uploading');
    }, { timeoutMs: 60_000, intervalMs: 100, stop: () => !agent.running() });
    agent.kill('SIGTERM');
    const outcome = await agent.exited;
    assert.ok(settled, `the Outbox was not emptied after the final start: ${JSON.stringify(outboxFiles().filter((f) => f.where === 'outbox'))}; ${outcome.output}`);
    assert.equal(outcome.code, 0, `billsync run stopped with ${outcome.signal ?? `exit ${outcome.code}`}: ${outcome.output}`);

    assert.deepEqual(await outboxViolations('after the final run'), []);
    const received = await uploads(sandbox);
    const rows = outboxRows(env);
    const files = outboxFiles();
    for (const file of dropped) {
      const place = files.find((f) => f.sha256 === file.sha256)!;
      const row = rows.find((r) => r.sha256 === file.sha256 && r.dossierPartyId === file.partyId);
      assert.ok(row, `${file.name} is in the ledger's Outbox table`);
      const got = received.filter((u) => u.sha256 === file.sha256);
      if (file.valid) {
        assert.equal(got.length, 1, `${file.name} reached Billit exactly once`);
        assert.equal(got[0]!.idempotencyKey, row.idempotencyKey, `${file.name}: Billit got the key stored before the first attempt`);
        assert.equal(row.state, 'sent', `${file.name} is recorded as sent (${row.error ?? ''})`);
        assert.equal(place.where, 'sent', `${file.name} is in Outbox/sent/, not ${place.path}`);
      } else {
        assert.equal(got.length, 0, `${file.name} (not a document Billit reads) was never uploaded`);
        assert.equal(row.state, 'failed');
        assert.equal(place.where, 'failed', `${file.name} is in Outbox/failed/`);
        assert.ok(files.some((f) => f.path === `${place.path}.txt`), `${place.path} has its reason beside it`);
      }
    }
    assert.equal(received.length, dropped.filter((f) => f.valid).length, 'nothing else reached Billit');
    const leftovers = dossiers.flatMap((d) => listExportTree(join(env.root, d.folder, 'Outbox')).filter((p) => isTempName(p.split('/').pop()!)));
    assert.deepEqual(leftovers, [], 'no temporary file left in an Outbox');
    for (const dossier of dossiers) {
      const top = readdirSync(join(env.root, dossier.folder, 'Outbox')).filter((name) => !['sent', 'failed'].includes(name));
      assert.deepEqual(top, [], `${dossier.folder}/Outbox holds nothing but sent/ and failed/`);
    }
    const duplicates = sandbox.stats.byRouteStatus['POST /v1/toProcess']?.['409'] ?? 0;
    const answeredByKey = rows.filter((row) => row.state === 'sent' && row.uploadId === null).length;
    assert.ok(duplicates >= answeredByKey, `${answeredByKey} files were recorded from a 409 answer, but Billit gave only ${duplicates}`);

    expected = expectedHashes(sandbox);
    await assertFinal(env, expected);

    tally.print(`${dropped.length} files dropped (${dropped.filter((f) => !f.valid).length} not for Billit), ${inFlightAtSandbox} kills with an upload in flight at Billit, `
      + `${uploadingLeft} left an 'uploading' row, ${duplicates} re-sent keys answered 409, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    tally.assertMostlyMidRun(KILLS);
    assert.ok(duplicates > 0, 'some kills came after Billit accepted an upload and before billsync recorded it (the 409 path was exercised)');
  });
  test('a file still being copied into the Outbox when billsync restarts after a kill is sent once, whole, when the copy is done', async () => {
    // The accountant's copy (a scan over the network, say) is under way when the agent comes back.
    const dossier = dossiers[0]!;
    const name = 'Scan traag gekopieerd.pdf';
    const bytes = pdfBytes('crash-outbox-slow-copy', 24_000);
    const target = join(env.root, dossier.folder, 'Outbox', name);
    const chunks = 8;
    const size = Math.ceil(bytes.length / chunks);
    const startsLogged = (): number => listExportTree(join(env.dataDir, 'logs')).reduce((count, file) =>
      count + readFileSync(join(env.dataDir, 'logs', file), 'utf8').split('billsync is running').length - 1, 0);
    const before = startsLogged();
    // Like a copying program: one open handle, written chunk by chunk (a rename moves it along).
    const fd = openSync(target, 'w');
    writeSync(fd, bytes.subarray(0, size));
    const agent = launch(cli, env, ['run', '--headless']);
    // The copy goes on, a chunk every 250 ms (well within the 2 s a file must stay unchanged), until
    // the agent has started and looked at the folders, and a little longer.
    let written = 1;
    let ready = false;
    const deadline = Date.now() + 30_000;
    while (written < chunks) {
      await sleep(250);
      if (!ready && startsLogged() > before) ready = true;
      assert.ok(ready || Date.now() < deadline, 'billsync run did not log its start within 30 s');
      if (!ready && written === chunks - 3) continue; // wait for the start with the last chunks still to come
      writeSync(fd, bytes.subarray(written * size, (written + 1) * size));
      written += 1;
      assert.ok(agent.running(), agent.running() ? '' : 'billsync run exited');
    }
    closeSync(fd);
    const sent = join(env.root, dossier.folder, 'Outbox', 'sent', name);
    const failed = join(env.root, dossier.folder, 'Outbox', 'failed', name);
    const landed = await waitFor(() => existsSync(sent) || existsSync(failed), { timeoutMs: 30_000, intervalMs: 50, stop: () => !agent.running() });
    await sleep(300);
    agent.kill('SIGTERM');
    const outcome = await agent.exited;
    assert.equal(outcome.code, 0, outcome.output);
    assert.ok(landed, 'the file left the Outbox');
    const received = (await uploads(sandbox)).filter((u) => u.fileName === name);
    assert.deepEqual(received.map((u) => ({ sha256: u.sha256, size: u.size })), [{ sha256: sha256(bytes), size: bytes.length }], 'Billit received the whole file, once');
    assert.ok(existsSync(sent) && !existsSync(failed), `the file is in Outbox/sent/, not in Outbox/failed/${existsSync(`${failed}.txt`) ? ` (reason: ${readFileSync(`${failed}.txt`, 'utf8').split('Reason:')[1]?.split('\r\n')[0]?.trim()})` : ''}`);
    discard(env);
  });
});
