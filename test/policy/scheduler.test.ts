import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import cron from 'node-cron';
import { Agent } from '../../src/app/agent.js';
import type { AppContext } from '../../src/app/app-context.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { toBrusselsLocal } from '../../src/core/brussels-time.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { realFileSystem } from '../../src/platform/fs/file-system.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { CronService } from '../../src/sync/scheduler.js';
import { openSandbox } from '../support/sandbox.js';

/** Records the jobs instead of starting timers; a test fires them by name. */
class FakeCron implements CronService {
  readonly jobs = new Map<string, { expression: string; timezone: string; task: () => void; stopped: boolean }>();
  schedule(expression: string, task: () => void, options: { timezone: string; name: string }) {
    const job = { expression, timezone: options.timezone, task, stopped: false };
    this.jobs.set(options.name, job);
    return { stop: () => { job.stopped = true; } };
  }
  fire(name: string): void {
    const job = this.jobs.get(name);
    assert.ok(job, `job ${name} exists`);
    job.task();
  }
}

function appFor(sandbox: Sandbox, base: string, config: Partial<ConfigInput>): AppContext {
  mkdirSync(join(base, 'export'), { recursive: true });
  const dataDir = join(base, 'data');
  return {
    configFile: join(base, 'config.json'),
    config: parseConfig({
      ...config,
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100 },
      exportRoot: join(base, 'export'),
    }),
    paths: { configFile: join(base, 'config.json'), dataDir, logDir: join(dataDir, 'logs') },
    ledger: Ledger.open(join(dataDir, 'ledger.sqlite')),
    fs: realFileSystem,
    close() { this.ledger.close(); },
  };
}

describe('the scheduler', () => {
  let sandbox: Sandbox;
  let ids: number[];
  before(async () => {
    sandbox = await openSandbox({ dossiers: 4, docsPerDossier: 6, otherDocsPerDossier: 0, codaDays: 0 });
    ids = [...sandbox.world.dossiers.keys()].sort((a, b) => a - b);
  });
  after(() => sandbox.close());

  test('schedules every job in Europe/Brussels with the dossiers\' own monthly day and time', async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-sched-'));
    const app = appFor(sandbox, base, {
      policy: { frequency: 'last-month' },
      dossiers: {
        [ids[1]!]: { policy: { lastMonthDay: 5, lastMonthTime: '07:30' } },
        [ids[2]!]: { policy: { frequency: 'after-10-minutes' } },
        [ids[3]!]: { policy: { frequency: 'never', requireApproval: true } },
      },
    });
    const fake = new FakeCron();
    const agent = new Agent(app, { cron: fake, now: () => new Date('2026-12-03T10:00:00Z') });
    agent.start();
    await agent.queue.idle();
    agent.stop();
    // The first start learned the dossiers; a restart schedules them.
    const fake2 = new FakeCron();
    const restarted = new Agent(app, { cron: fake2, now: () => new Date('2026-12-03T10:00:00Z') });
    restarted.start();
    await restarted.stop();
    const expressions = Object.fromEntries([...fake2.jobs].map(([name, job]) => [name, job.expression]));
    assert.deepEqual(expressions, {
      minute: '* * * * *', approvals: '*/15 * * * *', coda: '*/30 * * * *',
      'monthly 0 6 1 * *': '0 6 1 * *', 'monthly 30 7 5 * *': '30 7 5 * *',
    });
    assert.ok([...fake2.jobs.values()].every((job) => job.timezone === 'Europe/Brussels' && job.stopped));
    app.close();
  });

  test('node-cron fires the monthly expression at 06:00 Brussels, winter and summer', () => {
    const task = cron.createTask('0 6 1 * *', () => undefined, { timezone: 'Europe/Brussels' });
    const runs = task.getNextRuns(12);
    task.destroy();
    assert.equal(runs.length, 12);
    for (const run of runs) assert.match(toBrusselsLocal(run), /^\d{4}-\d{2}-01T06:00:00\.000$/);
  });

  test('a monthly run missed while billsync was stopped runs exactly once at start', async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-catchup-'));
    const app = appFor(sandbox, base, { policy: { frequency: 'last-month' } });
    const runs: string[] = [];
    const onRun = (request: { trigger: string }, _summary: unknown, error: unknown) => { assert.equal(error, null); runs.push(request.trigger); };
    // Running in November: learns the dossiers, does November's (October's) monthly run.
    let now = new Date('2026-11-02T09:00:00Z');
    const first = new Agent(app, { cron: new FakeCron(), now: () => now, onRun });
    first.start();
    await first.queue.idle();
    assert.deepEqual(runs, ['startup', 'catch-up']);
    await first.stop();
    // Stopped through 1 December 06:00; started again on 3 December.
    now = new Date('2026-12-03T10:00:00Z');
    runs.length = 0;
    const fake = new FakeCron();
    const second = new Agent(app, { cron: fake, now: () => now, onRun });
    second.start();
    await second.queue.idle();
    assert.deepEqual(runs, ['catch-up'], 'the missed run, once');
    for (let tick = 0; tick < 5; tick++) {
      now = new Date(now.getTime() + 60_000);
      fake.fire('minute');
      await second.queue.idle();
    }
    assert.deepEqual(runs, ['catch-up'], 'minute ticks do not repeat it');
    await second.stop();
    const third = new Agent(app, { cron: new FakeCron(), now: () => now, onRun });
    third.start();
    await third.queue.idle();
    await third.stop();
    assert.deepEqual(runs, ['catch-up'], 'nor does another restart the same month');
    const ledgerRuns = app.ledger.runs.list(100).filter((r) => r.trigger === 'catch-up');
    assert.equal(ledgerRuns.length, 2, 'November\'s and December\'s, one each');
    app.close();
  });

  test('a startup run that fails is tried again on the next minute tick', async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-startup-'));
    const app = appFor(sandbox, base, {});
    app.config.billit.apiKey = 'not-the-key';
    const attempts: Array<{ trigger: string; failed: boolean }> = [];
    const fake = new FakeCron();
    const agent = new Agent(app, { cron: fake, now: () => new Date('2026-12-03T10:00:00Z'), onRun: (request, _s, error) => attempts.push({ trigger: request.trigger, failed: error !== null }) });
    agent.start();
    await agent.queue.idle();
    fake.fire('minute');
    await agent.queue.idle();
    await agent.stop();
    assert.deepEqual(attempts, [{ trigger: 'startup', failed: true }, { trigger: 'startup', failed: true }]);
    app.close();
  });

  test('after-10-minutes dossiers are polled every minute and approvals watched every quarter hour', async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-ticks-'));
    const app = appFor(sandbox, base, { policy: { frequency: 'after-10-minutes', requireApproval: true }, dossiers: { [ids[0]!]: { policy: { frequency: 'last-month' } } } });
    const runs: Array<{ trigger: string; dossiers: number[] | null; watchOnly: boolean; skipDeleted?: boolean }> = [];
    const fake = new FakeCron();
    let clock = '2026-12-15T10:00:00Z';
    const now = () => new Date(clock);
    const seed = new Agent(app, { cron: new FakeCron(), now });
    seed.start();
    await seed.queue.idle();
    await seed.stop();
    const agent = new Agent(app, { cron: fake, now, onRun: (request) => runs.push({ trigger: request.trigger, dossiers: request.dossiers, watchOnly: request.watchOnly, ...(request.skipDeleted ? { skipDeleted: true } : {}) }) });
    agent.start();
    await agent.queue.idle();
    runs.length = 0;
    fake.fire('minute');
    await agent.queue.idle();
    assert.deepEqual(runs, [{ trigger: 'after-10-minutes', dossiers: ids.slice(1), watchOnly: false }], 'on the quarter hour, deletions are looked for too');
    clock = '2026-12-15T10:07:00Z';
    const deletedCalls = sandbox.stats.byRoute['GET /v1/orders/deleted'] ?? 0;
    fake.fire('minute');
    await agent.queue.idle();
    assert.deepEqual(runs.at(-1), { trigger: 'after-10-minutes', dossiers: ids.slice(1), watchOnly: false, skipDeleted: true });
    assert.equal(sandbox.stats.byRoute['GET /v1/orders/deleted'] ?? 0, deletedCalls, 'between quarter hours the minute poll does not list deletions');
    clock = '2026-12-15T10:00:00Z';
    fake.fire('approvals');
    await agent.queue.idle();
    assert.deepEqual(runs.at(-1), { trigger: 'approvals', dossiers: [ids[0]], watchOnly: true });
    await agent.stop();
    app.close();
  });
});
