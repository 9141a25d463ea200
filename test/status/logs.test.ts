import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/platform/log.js';
import type { Route } from '../../src/status/page.js';
import { logsRoutes } from '../../src/status/pages/logs.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...logsRoutes];

function textOf(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** The message cells of the log table, top to bottom. */
function messages(body: string): string[] {
  return [...body.matchAll(/<tr>\s*<td class="nowrap">[^<]*<\/td>\s*<td[^>]*>(?:<span[^>]*>[^<]*<\/span>|[^<]*)<\/td>\s*<td>(?:<code>)?([^<]*)/g)].map((m) => m[1]!);
}

/** What the logger wrote today: 22 warnings and 20 errors among 210 lines (then two more warnings/infos). */
let warnings = 0;
let errors = 0;

describe('the log page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 1 });
    env = await openStatusPage(sandbox, routes);
  });
  after(async () => { await env.close(); await sandbox.close(); });

  test('without a log yet, says so', async () => {
    const response = await env.get('/logs');
    assert.equal(response.status, 200);
    assert.match(textOf(await response.text()), /Het logboek is nog leeg\./);
  });

  test('shows the newest 200 lines first, across daily files, escaped, raw lines as they are', async () => {
    const dir = env.app.paths.logDir;
    mkdirSync(dir, { recursive: true });
    // An older day's file: JSON lines as the logger writes them, and a crash the runtime printed.
    const older = ['{"level":"info","message":"old 1","time":"2020-01-01T09:00:00.000"}', 'FATAL ERROR: Reached heap limit <oops>', '{"level":"error","message":"old failure","time":"2020-01-01T09:05:00.000"}'];
    writeFileSync(join(dir, 'billsync-2020-01-01.log'), `${older.join('\n')}\n`);
    writeFileSync(join(dir, 'billsync-audit.json'), '{"not":"a log"}\n');
    // Today's file, written by the real logger: info lines, warnings and errors interleaved.
    const logger = createLogger({ dir, secrets: [sandbox.apiKey], console: false });
    for (let i = 1; i <= 210; i++) {
      if (i % 10 === 0 && errors < 20) { logger.error(`error ${i}`, { dossier: 200001 }); errors += 1; }
      else if (i % 5 === 0) { logger.warn(`warning ${i}`); warnings += 1; }
      else logger.info(`info ${i}`);
    }
    logger.info('<script>alert(1)</script>');
    logger.warn(`key ${sandbox.apiKey} must never show`);
    warnings += 1;
    await logger.close();
    assert.deepEqual([warnings, errors], [23, 20]);

    const body = await (await env.get('/logs')).text();
    const lines = messages(body);
    assert.equal(lines.length, 200);
    assert.equal(lines[0], `key [redacted] must never show`, 'newest first');
    assert.equal(lines[1], '&lt;script&gt;alert(1)&lt;/script&gt;', 'escaped');
    assert.ok(!body.includes('<script>alert(1)'));
    assert.ok(!body.includes(sandbox.apiKey));
    assert.match(textOf(body), /200 regels, nieuwste eerst/);
    assert.match(body, /<code class="muted">\{&quot;dossier&quot;:200001\}<\/code>/, 'the entry\'s other fields');
  });

  test('"warn and up" and "errors only" filter by level, and reach back into the older file', async () => {
    const warn = messages(await (await env.get('/logs?level=warn')).text());
    // 23 warnings and 20 errors today, 1 error on the older day; the raw line has no level and stays out.
    assert.equal(warn.length, warnings + errors + 1);
    assert.equal(warn.length, 44);
    assert.ok(warn.every((m) => /^(warning|error|key|old failure)/.test(m)), warn.find((m) => !/^(warning|error|key|old failure)/.test(m)));
    assert.equal(warn.at(-1), 'old failure');
    const onlyErrors = messages(await (await env.get('/logs?level=error')).text());
    assert.equal(onlyErrors.length, errors + 1);
    assert.deepEqual(onlyErrors.slice(0, 2), ['error 200', 'error 190']);
    assert.equal(onlyErrors.at(-1), 'old failure');
    const page = await (await env.get('/logs?level=error')).text();
    assert.match(page, /id="level-error" value="error" checked/);
  });

  test('"everything" shows lines that are not JSON, marked and escaped', async () => {
    const { readLogTail } = await import('../../src/platform/log-tail.js');
    const all = await readLogTail(env.app.paths.logDir, 'all', 10_000);
    assert.equal(all.length, 212 + 3);
    const raw = all.find((line) => line.raw)!;
    assert.equal(raw.message, 'FATAL ERROR: Reached heap limit <oops>');
    const body = await (await env.get('/logs?level=nonsense')).text();
    assert.match(body, /id="level-all" value="all" checked/, 'an unknown level shows everything');
    const english = await fetch(`${env.server.origin}/logs?level=warn`, { headers: { cookie: 'billsync_session=test-token-0123456789; billsync_lang=en' } });
    assert.match(textOf(await english.text()), /44 lines, newest first/);
  });

  test('"Download diagnostics" gives the report as a file, without the key; not without the session', async () => {
    const body = await (await env.get('/logs')).text();
    assert.match(body, /<a href="\/logs\/diagnostics" download>Diagnose downloaden<\/a>/);
    const response = await env.get('/logs/diagnostics');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="billsync-diagnostics-\d{4}-\d{2}-\d{2}-\d{6}\.txt"$/);
    const report = await response.text();
    assert.ok(!report.includes(sandbox.apiKey));
    assert.match(report, /^API key: set \(not shown\)$/m);
    assert.match(report, /key \[redacted\] must never show/, 'the recent log is in it');
    const anonymous = await fetch(`${env.server.origin}/logs/diagnostics`, { redirect: 'manual' });
    assert.equal(anonymous.status, 401);
    assert.ok(!(await anonymous.text()).includes('API key'));
  });

  test('"Open the log folder" opens it on this machine', async () => {
    const response = await env.post('/logs/open', {});
    assert.equal(response.status, 303);
    assert.deepEqual(env.opener.opened, [env.app.paths.logDir]);
  });
});
