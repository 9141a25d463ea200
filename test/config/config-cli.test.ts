import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT_MARKER } from '../../src/export/export-root.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { billsync } from '../support/cli.js';
import { openSandbox } from '../support/sandbox.js';

describe('billsync config on the command line, against the sandbox', () => {
  let sandbox: Sandbox;
  let base: string;
  let configFile: string;
  let env: Record<string, string>;
  const saved = () => readFileSync(configFile, 'utf8');

  before(async () => {
    sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 1, otherDocsPerDossier: 0, codaDays: 1 });
    base = mkdtempSync(join(tmpdir(), 'billsync-config-cli-'));
    configFile = join(base, 'config', 'config.json');
    env = { BILLSYNC_CONFIG: configFile, BILLSYNC_DATA_DIR: join(base, 'data') };
  });
  after(() => sandbox.close());

  test('a fresh install is set up from a terminal: Billit address, key from standard input, export root', async () => {
    assert.equal((await billsync(['config', 'path'], env)).stdout.trim(), configFile);
    const url = await billsync(['config', 'set', 'billit.baseUrl', sandbox.baseUrl], env);
    assert.equal(url.code, 0, url.stderr);

    // A wrong key: Billit is asked, says no, nothing is saved, the key is not repeated.
    const before = saved();
    const wrong = await billsync(['config', 'set', 'billit.apiKey', 'wrong-key-4711'], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Billit rejected the API key: check it with Billit support\. Nothing was saved\./);
    assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes('wrong-key-4711'));
    assert.equal(saved(), before);

    const right = await billsync(['config', 'set', 'billit.apiKey', '-'], env, `${sandbox.apiKey}\n`);
    assert.equal(right.code, 0, right.stderr);
    assert.equal(right.stdout.trim(), `billit.apiKey saved (not shown) in ${configFile}`);
    assert.equal(JSON.parse(saved()).billit.apiKey, sandbox.apiKey, 'saved without the newline');
    if (process.platform !== 'win32') assert.equal(statSync(configFile).mode & 0o777, 0o600, 'readable by the user only');
    assert.equal((await billsync(['config', 'get', 'billit.apiKey'], env)).stdout.trim(), 'set (not shown)');
    const shown = await billsync(['config', 'show'], env);
    assert.ok(!shown.stdout.includes(sandbox.apiKey));
    assert.match(shown.stdout, /^# API key: set \(not shown\)$/m);

    // No key, however general, prints a secret.
    await billsync(['config', 'set', 'billit.proxy', 'http://bob:hunter22@127.0.0.1:9', '--no-check'], env);
    for (const args of [['config', 'get', 'billit'], ['config', 'get', 'billit.proxy'], ['config', 'show'], ['config', 'set', 'billit', saved().length > 0 ? JSON.stringify(JSON.parse(saved()).billit) : '{}', '--no-check']]) {
      const out = await billsync(args, env);
      assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
      for (const secret of [sandbox.apiKey, 'hunter22']) assert.ok(!`${out.stdout}${out.stderr}`.includes(secret), `${args.join(' ')} shows no secret`);
    }
    assert.match((await billsync(['config', 'get', 'billit.proxy'], env)).stdout, /^http:\/\/127\.0\.0\.1:9\/ \(with a login, not shown\)$/m);
    assert.equal((await billsync(['config', 'unset', 'billit.proxy'], env)).code, 0);
    const typo = await billsync(['config', 'get', 'billit.apikey'], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /"billit\.apikey" is not a setting billsync knows \(billit: unknown key "apikey"\)/);

    // The export root: a missing folder or a relative path are refused; a real one gets its marker.
    const missing = await billsync(['config', 'set', 'exportRoot', join(base, 'not-mounted')], env);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /not-mounted does not exist \(or the share is not connected\)/);
    assert.equal(existsSync(join(base, 'not-mounted')), false, 'no folder is made where a share should be');
    const relative = await billsync(['config', 'set', 'exportRoot', 'venice'], env);
    assert.equal(relative.code, 2);
    assert.match(relative.stderr, /must be a full path/);
    const root = join(base, 'venice');
    mkdirSync(root);
    const set = await billsync(['config', 'set', 'exportRoot', root], env);
    assert.equal(set.code, 0, set.stderr);
    assert.ok(existsSync(join(root, ROOT_MARKER)), 'the chosen folder is marked as the export root');
    assert.equal(JSON.parse(saved()).exportRoot, root);

    // The result is a working setup.
    const doctor = await billsync(['doctor', '--json'], env);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
  });

  test('values are read as JSON where the setting wants it, checked by the schema, and unset goes back to the default', async () => {
    const rate = await billsync(['config', 'set', 'billit.ratePerSecond', '8'], env);
    assert.equal(rate.code, 0, rate.stderr);
    assert.equal(JSON.parse(saved()).billit.ratePerSecond, 8, 'a number, not "8"');
    const before = saved();
    const bad = await billsync(['config', 'set', 'billit.ratePerSecond', 'fast'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /billit\.ratePerSecond: .*expected number/);
    const unknown = await billsync(['config', 'set', 'billit.colour', 'blue'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown key "colour"/);
    const hostile = await billsync(['config', 'set', '__proto__.polluted', 'true'], env);
    assert.equal(hostile.code, 2);
    assert.match(hostile.stderr, /"__proto__\.polluted" is not a configuration key/);
    assert.equal(saved(), before, 'nothing saved by the refused ones');

    const dossier = await billsync(['config', 'set', 'dossiers.200001.policy.frequency', 'never'], env);
    assert.equal(dossier.code, 0, dossier.stderr);
    assert.equal((await billsync(['config', 'get', 'dossiers.200001.policy.frequency'], env)).stdout.trim(), 'never');
    assert.equal((await billsync(['config', 'get', 'dossiers.200002.policy.frequency'], env)).stdout.trim(), 'last-month (not set here: the default applies)');
    await billsync(['config', 'set', 'policy.requireApproval', 'true'], env);
    assert.equal((await billsync(['config', 'get', 'dossiers.200001.policy.requireApproval'], env)).stdout.trim(), 'true (not set here: the office policy applies)');

    const unset = await billsync(['config', 'unset', 'billit.ratePerSecond'], env);
    assert.equal(unset.code, 0, unset.stderr);
    assert.equal(JSON.parse(saved()).billit.ratePerSecond, 4, 'the default again');
    assert.equal(JSON.parse(saved()).billit.apiKey, sandbox.apiKey, 'the rest untouched');
  });

  test('Billit out of reach: the key is not saved, unless --no-check says to save it without asking', async () => {
    const offline = join(base, 'offline.json');
    writeFileSync(offline, JSON.stringify({ billit: { baseUrl: 'http://127.0.0.1:9' } }));
    const refused = await billsync(['config', 'set', 'billit.apiKey', 'offline-key-1234', '--config', offline], env);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /Billit cannot be reached at http:\/\/127\.0\.0\.1:9.*--no-check saves it without asking Billit/);
    assert.equal(JSON.parse(readFileSync(offline, 'utf8')).billit.apiKey, undefined);
    const forced = await billsync(['config', 'set', 'billit.apiKey', 'offline-key-1234', '--no-check', '--config', offline], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(readFileSync(offline, 'utf8')).billit.apiKey, 'offline-key-1234');
  });

  test('a file the schema refuses can be mended with set or unset', async () => {
    const wrong = join(base, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ billit: { ratePerSecond: 'fast' }, exportRoot: base }));
    const show = await billsync(['config', 'show', '--config', wrong], env);
    assert.equal(show.code, 2);
    assert.match(show.stderr, /billit\.ratePerSecond/);
    const mended = await billsync(['config', 'unset', 'billit.ratePerSecond', '--config', wrong], env);
    assert.equal(mended.code, 0, mended.stderr);
    assert.equal(JSON.parse(readFileSync(wrong, 'utf8')).billit.ratePerSecond, 4);
    writeFileSync(wrong, JSON.stringify({ billit: { ratePerSecond: 'fast' } }));
    const set = await billsync(['config', 'set', 'billit.ratePerSecond', '2', '--config', wrong], env);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(JSON.parse(readFileSync(wrong, 'utf8')).billit.ratePerSecond, 2);
  });

  test('a file that is not JSON is named with the place of the mistake, and left alone', async () => {
    const broken = join(base, 'broken.json');
    writeFileSync(broken, '{ "billit": { "apiKey": "secret-key-998877" ');
    const result = await billsync(['config', 'set', 'exportRoot', base, '--config', broken], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /broken\.json is not valid JSON \(line 1, column \d+\)/);
    assert.ok(!result.stderr.includes('secret-key-998877'));
    assert.equal(readFileSync(broken, 'utf8'), '{ "billit": { "apiKey": "secret-key-998877" ');
  });
});
