import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { OutboxLock } from '../../../src/desktop/watchers/outbox-lock.js';
import { OutboxUploader } from '../../../src/desktop/watchers/outbox-uploader.js';
import { realFileSystem } from '../../../src/platform/fs/file-system.js';
import { FaultyFileSystem } from '../../../src/platform/fs/faulty-file-system.js';
import type { SyncEvent } from '../../../src/sync/sync-context.js';
import { clientFor, control } from '../../support/sandbox.js';
import { list, outboxEnv, pdfBytes, sha256, uploads, waitFor } from './watch-helpers.js';

describe('the Outbox', () => {
  test('a PDF written slowly is uploaded once, whole, and moved to Outbox/sent/', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    assert.ok(existsSync(env.outbox), 'the Outbox folder is created in the dossier folder at start');
    const pdf = pdfBytes('slow');
    const file = join(env.outbox, 'Factuur leverancier 2026-118.pdf');
    // Six chunks 300 ms apart: every gap is shorter than the 800 ms stability threshold.
    const chunk = Math.ceil(pdf.length / 6);
    for (let i = 0; i < 6; i++) {
      appendFileSync(file, pdf.subarray(i * chunk, (i + 1) * chunk));
      if (i < 5) await sleep(300);
    }
    assert.equal((await uploads(env.sandbox)).length, 0, 'nothing is uploaded while the file is being written');

    const sent = join(env.outbox, 'sent', 'Factuur leverancier 2026-118.pdf');
    await waitFor('the file in Outbox/sent/', () => existsSync(sent));
    await env.watchers.idle();
    const received = await uploads(env.sandbox);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.sha256, sha256(pdf), 'Billit received exactly the bytes of the file');
    assert.equal(received[0]!.size, pdf.length);
    assert.equal(received[0]!.partyId, env.partyId);
    assert.equal(received[0]!.fileName, 'Factuur leverancier 2026-118.pdf');
    assert.equal(received[0]!.mimeType, 'application/pdf');
    assert.deepEqual(list(env.outbox), ['sent']);
    assert.equal(sha256(readFileSync(sent)), sha256(pdf));

    const [row, ...others] = env.ledger.outbox.list();
    assert.equal(others.length, 0);
    assert.equal(row!.state, 'sent');
    assert.equal(row!.uploadId, received[0]!.uploadId);
    assert.equal(row!.idempotencyKey, received[0]!.idempotencyKey, 'the key sent is the one stored before the call');
    assert.equal(row!.sha256, sha256(pdf));
    const events = env.events.filter((e) => e.type.startsWith('outbox-'));
    assert.deepEqual(events.map((e) => e.type), ['outbox-sent']);
    assert.equal(events[0]!.dossierPartyId, env.partyId);
    assert.equal(env.ledger.events.list({ limit: 10, type: 'outbox-sent' }).length, 1, 'the event is in the audit trail too');
  });

  test('the same content dropped again is not uploaded a second time, and is moved to sent/ under a new name', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    const pdf = pdfBytes('twice');
    writeFileSync(join(env.outbox, 'bon.pdf'), pdf);
    await waitFor('the first upload', () => existsSync(join(env.outbox, 'sent', 'bon.pdf')));
    writeFileSync(join(env.outbox, 'bon.pdf'), pdf);
    await waitFor('the second copy moved to sent/', () => existsSync(join(env.outbox, 'sent', 'bon (conflict 2).pdf')));
    await env.watchers.idle();

    assert.equal((await uploads(env.sandbox)).length, 1);
    assert.deepEqual(list(join(env.outbox, 'sent')), ['bon (conflict 2).pdf', 'bon.pdf']);
    assert.deepEqual(list(env.outbox), ['sent']);
    const again = env.events.find((e) => e.type === 'outbox-already-sent');
    assert.ok(again, 'an event says the file had been sent before');
    assert.match(again.message, /bon\.pdf was already sent to Billit on \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    assert.equal(env.ledger.outbox.list().length, 1);
  });

  test('an upload Billit refuses goes to Outbox/failed/ with a reason; dropping it again retries with the same key', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    await control(env.sandbox, 'POST', 'faults', { kind: 'status', route: '/v1/toProcess', method: 'POST', status: 400, count: 1 });
    const pdf = pdfBytes('refused');
    writeFileSync(join(env.outbox, 'aankoop.pdf'), pdf);
    const failed = join(env.outbox, 'failed', 'aankoop.pdf');
    await waitFor('the reason file', () => existsSync(`${failed}.txt`));
    await env.watchers.idle();

    assert.deepEqual(list(join(env.outbox, 'failed')), ['aankoop.pdf', 'aankoop.pdf.txt']);
    assert.deepEqual(list(env.outbox), ['failed']);
    assert.equal(sha256(readFileSync(failed)), sha256(pdf));
    const reason = readFileSync(`${failed}.txt`, 'utf8');
    assert.match(reason, /File: +aankoop\.pdf\r\n/);
    assert.match(reason, /Dossier: Bakkerij Émile/);
    assert.match(reason, /Reason: +Billit answered 400 to POST \/v1\/toProcess/);
    assert.match(reason, /\(Europe\/Brussels\)/);
    assert.equal(reason.includes(env.sandbox.apiKey), false, 'no secret in the reason');
    const [row] = env.ledger.outbox.list();
    assert.equal(row!.state, 'failed');
    assert.match(row!.error ?? '', /400/);
    assert.equal((await uploads(env.sandbox)).length, 0);
    assert.equal(env.events.find((e) => e.type === 'outbox-failed')?.level, 'error');

    // The accountant puts it back; the fault has passed.
    renameSync(failed, join(env.outbox, 'aankoop.pdf'));
    await waitFor('the retried file in sent/', () => existsSync(join(env.outbox, 'sent', 'aankoop.pdf')));
    await env.watchers.idle();
    const received = await uploads(env.sandbox);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.idempotencyKey, row!.idempotencyKey, 'the retry reuses the stored key');
    assert.equal(env.ledger.outbox.get(row!.id)!.state, 'sent');
    assert.equal(env.ledger.outbox.list().length, 1);
  });

  test('a server error that outlasts the client\'s retries also ends in Outbox/failed/', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    await control(env.sandbox, 'POST', 'faults', { kind: 'status', route: '/v1/toProcess', method: 'POST', status: 503 });
    writeFileSync(join(env.outbox, 'scan.pdf'), pdfBytes('503'));
    await waitFor('the reason file', () => existsSync(join(env.outbox, 'failed', 'scan.pdf.txt')));
    const reason = readFileSync(join(env.outbox, 'failed', 'scan.pdf.txt'), 'utf8');
    assert.match(reason, /Billit answered 503/);
    assert.equal(env.ledger.outbox.list()[0]!.state, 'failed');
    assert.equal((await control(env.sandbox, 'GET', 'stats')).byRoute['POST /v1/toProcess'], 2, 'the client tried twice, as configured');
  });

  test('a file of the wrong type is refused without any upload', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    writeFileSync(join(env.outbox, 'offerte.docx'), Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 1)]));
    writeFileSync(join(env.outbox, 'setup.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 2)]));
    await waitFor('both reason files', () => existsSync(join(env.outbox, 'failed', 'offerte.docx.txt')) && existsSync(join(env.outbox, 'failed', 'setup.exe.txt')));
    await env.watchers.idle();

    assert.deepEqual(list(join(env.outbox, 'failed')), ['offerte.docx', 'offerte.docx.txt', 'setup.exe', 'setup.exe.txt']);
    assert.match(readFileSync(join(env.outbox, 'failed', 'setup.exe.txt'), 'utf8'), /Reason: +it is not a PDF, a UBL invoice or credit note \(XML\), or a JPEG or PNG image/);
    assert.equal((await control(env.sandbox, 'GET', 'stats')).byRoute['POST /v1/toProcess'], undefined, 'no upload was attempted');
    assert.deepEqual(env.ledger.outbox.list().map((row) => row.state), ['failed', 'failed']);
    assert.deepEqual(env.events.filter((e) => e.type === 'outbox-failed').map((e) => /no upload was attempted/.test(e.message)), [true, true]);
  });

  test('after a crash between upload and move, the restart re-sends the same key and Billit\'s 409 counts as sent', async (t) => {
    // The state a crash leaves: Billit has the file under key K, the ledger says 'uploading' with K,
    // and the file is still in the Outbox. It is there before the watchers start (dropped while stopped).
    const env = await outboxEnv();
    const pdf = pdfBytes('crash');
    const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    await clientFor(env.sandbox).uploadToProcess(env.partyId, { fileName: 'crash.pdf', bytes: pdf, mimeType: 'application/pdf' }, key);
    const row = env.ledger.outbox.start({ dossierPartyId: env.partyId, fileName: 'crash.pdf', sha256: sha256(pdf), size: pdf.length, newIdempotencyKey: key });
    await env.watchers.close();
    writeFileSync(join(env.outbox, 'crash.pdf'), pdf);

    const restarted = await outboxEnvOn(env);
    t.after(async () => { await restarted.close(); env.ledger.close(); await env.sandbox.close(); });
    await waitFor('the file in sent/', () => existsSync(join(env.outbox, 'sent', 'crash.pdf')));
    await restarted.idle();
    assert.equal((await uploads(env.sandbox)).length, 1, 'Billit still has one upload');
    const after = env.ledger.outbox.get(row.id)!;
    assert.equal(after.state, 'sent');
    assert.equal(after.uploadId, null, 'Billit only said the key was used');
    assert.match(env.events.find((e) => e.type === 'outbox-sent')!.message, /already had it/);
  });

  const LATENCY_MS = 6000;
  test('watchers restarted during a slow upload (Settings saved, a share back) do not send that file again while it is under way', async (t) => {
    const lock = new OutboxLock();
    const env = await outboxEnv({ outboxLock: lock });
    // Longer than the 3 s close() waits for an upload under way: the restart leaves it running.
    await control(env.sandbox, 'POST', 'faults', { kind: 'latency', route: '/v1/toProcess', method: 'POST', latencyMs: LATENCY_MS, count: 1 });
    const pdf = pdfBytes('restart');
    writeFileSync(join(env.outbox, 'scan.pdf'), pdf);
    await waitFor('the upload under way', () => env.ledger.outbox.list()[0]?.state === 'uploading');
    const firstCallBy = Date.now();
    await env.watchers.close();
    assert.equal(env.ledger.outbox.list()[0]?.state, 'uploading', 'close() gave up waiting while Billit had not answered');
    assert.ok(existsSync(join(env.outbox, 'scan.pdf')), 'the file is still in the Outbox when the next watchers start');

    const restarted = await outboxEnvOn(env, lock);
    t.after(async () => { await restarted.close(); env.ledger.close(); await env.sandbox.close(); });
    await waitFor('the file in sent/', () => existsSync(join(env.outbox, 'sent', 'scan.pdf')));
    await restarted.idle();
    // The sandbox counts a request when it answers: the delayed first one is counted only once its
    // latency is over, so wait for that before counting (a second request would be answered at once).
    await sleep(Math.max(0, firstCallBy + LATENCY_MS + 300 - Date.now()));
    assert.deepEqual((await control(env.sandbox, 'GET', 'stats')).byRouteStatus['POST /v1/toProcess'], { 200: 1 }, 'one request reached Billit');
    assert.deepEqual((await uploads(env.sandbox)).map((u) => u.sha256), [sha256(pdf)]);
    assert.deepEqual(env.events.filter((e) => e.type.startsWith('outbox-') && e.type !== 'outbox-interrupted').map((e) => e.type), ['outbox-sent'],
      'one upload reported, and no "vanished" for the file the first watchers moved on');
    assert.deepEqual(list(env.outbox), ['sent']);
  });

  test('a sent file that cannot be moved at first (a program holds it) is moved to sent/ later, without a second upload', async (t) => {
    const faulty = new FaultyFileSystem(realFileSystem);
    // Its renames fail as Windows fails them while another program has it open: long enough for two
    // whole moves (each tries 6 times over ~3 s) to give up.
    faulty.add({ op: 'rename', path: /held\.pdf$/, code: 'EBUSY', firstAttemptsPerPath: 12 });
    const env = await outboxEnv({ fs: faulty, outboxMoveRetryMs: 300 });
    t.after(() => env.close());
    const pdf = pdfBytes('held');
    writeFileSync(join(env.outbox, 'held.pdf'), pdf);
    await waitFor('the file in Outbox/sent/', () => existsSync(join(env.outbox, 'sent', 'held.pdf')));
    await env.watchers.idle();
    assert.equal((await uploads(env.sandbox)).length, 1, 'uploaded once');
    assert.deepEqual(list(env.outbox), ['sent']);
    assert.equal(env.events.filter((e) => e.type === 'outbox-move-failed').length, 2, 'each failed move was reported');
    assert.deepEqual(env.events.filter((e) => e.type === 'outbox-sent' || e.type === 'outbox-already-sent').map((e) => e.type), ['outbox-sent', 'outbox-already-sent', 'outbox-already-sent']);
  });

  test('a file touched during its upload, where no change event comes, is looked at again by billsync itself and moved on', async (t) => {
    // Polled once a minute: chokidar reports nothing within the test, so only billsync's own second look can move the file.
    const env = await outboxEnv({ forcePolling: true, pollIntervalMs: 60_000 });
    await env.watchers.close();
    const pdf = pdfBytes('touched');
    const file = join(env.outbox, 'touched.pdf');
    writeFileSync(file, pdf);
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await control(env.sandbox, 'POST', 'faults', { kind: 'latency', route: '/v1/toProcess', method: 'POST', latencyMs: 1500, count: 1 });
    const { startWatchers } = await import('../../../src/desktop/watchers/index.js');
    const watchers = await startWatchers({
      exportRoot: env.root, ledger: env.ledger, client: clientFor(env.sandbox), onEvent: (event) => env.events.push(event), onError: () => undefined,
      stabilityMs: 400, forcePolling: true, pollIntervalMs: 60_000,
    });
    t.after(async () => { await watchers.close(); env.ledger.close(); await env.sandbox.close(); });
    await waitFor('the upload under way', () => env.ledger.outbox.list()[0]?.state === 'uploading');
    const touched = new Date();
    utimesSync(file, touched, touched); // same bytes, a new time: the uploader will not move a file that changed
    await waitFor('the file in sent/', () => existsSync(join(env.outbox, 'sent', 'touched.pdf')));
    await watchers.idle();
    assert.deepEqual(env.events.filter((e) => e.type.startsWith('outbox-')).map((e) => e.type), ['outbox-changed', 'outbox-sent', 'outbox-already-sent']);
    assert.equal((await uploads(env.sandbox)).length, 1, 'the same bytes are not sent twice');
  });

  test('a file that disappears before it is read is reported, not a crash', async (t) => {
    const env = await outboxEnv();
    t.after(() => env.close());
    const uploader = new OutboxUploader({
      exportRoot: env.root, ledger: env.ledger, client: clientFor(env.sandbox), fs: realFileSystem, now: () => new Date(),
      emit: (event) => env.events.push(event),
    });
    await uploader.handle(join(env.outbox, 'weg.pdf'));
    assert.equal(env.events.at(-1)?.type, 'outbox-vanished');
    assert.equal(env.ledger.outbox.list().length, 0);
  });

  test('watch.polling decides over the share detection: always polls a local root, never does not', async (t) => {
    const always = await outboxEnv({ polling: 'always', pollIntervalMs: 100 });
    t.after(() => always.close());
    assert.equal(always.watchers.polling, true);
    assert.match(always.events.find((e) => e.type === 'watch-polling')?.message ?? '', /is set to be polled/);
    const never = await outboxEnv({ polling: 'never' });
    t.after(() => never.close());
    assert.equal(never.watchers.polling, false);
    assert.equal(never.events.some((e) => e.type === 'watch-polling'), false);
  });

  test('with polling forced, a dropped file is still taken once whole; an Outbox outside any dossier is left alone', async (t) => {
    // The product's own 2 s of stability: a loaded machine pausing the test between its two writes must not
    // make the first half look finished.
    const env = await outboxEnv({ forcePolling: true, pollIntervalMs: 100, stabilityMs: 2000 });
    t.after(() => env.close());
    assert.equal(env.watchers.polling, true);
    assert.ok(env.events.some((e) => e.type === 'watch-polling'));
    const stray = join(env.root, 'Unknown BV', 'Outbox');
    mkdirSync(stray, { recursive: true });
    writeFileSync(join(stray, 'x.pdf'), pdfBytes('unknown'));
    const pdf = pdfBytes('polled');
    writeFileSync(join(env.outbox, 'polled.pdf'), pdf.subarray(0, 1000));
    await sleep(300);
    appendFileSync(join(env.outbox, 'polled.pdf'), pdf.subarray(1000));
    await waitFor('the polled file in sent/', () => existsSync(join(env.outbox, 'sent', 'polled.pdf')));
    await waitFor('the warning about the unknown folder', () => env.events.find((e) => e.type === 'outbox-unknown-dossier'));
    await env.watchers.idle();
    const received = await uploads(env.sandbox);
    assert.deepEqual(received.map((u) => u.sha256), [sha256(pdf)]);
    assert.deepEqual(list(stray), ['x.pdf'], 'the file outside a dossier stays where it is');
    assert.equal(existsSync(join(env.root, 'Unknown BV', 'Outbox', 'failed')), false);
  });
});

/** Starts the watchers again on an environment whose watchers were closed (a billsync restart). */
async function outboxEnvOn(env: Awaited<ReturnType<typeof outboxEnv>>, outboxLock?: OutboxLock): Promise<{ idle(): Promise<void>; close(): Promise<void> }> {
  const { startWatchers } = await import('../../../src/desktop/watchers/index.js');
  const events: SyncEvent[] = env.events;
  return startWatchers({
    exportRoot: env.root, configFile: env.configFile, ledger: env.ledger, client: clientFor(env.sandbox),
    onEvent: (event) => events.push(event), onConfig: () => undefined, onError: () => undefined, stabilityMs: 800,
    ...(outboxLock === undefined ? {} : { outboxLock }),
  });
}
