import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.js';
import type { BillsyncConfig } from '../../../src/config/schema.js';
import { startConfigWatcher } from '../../../src/desktop/watchers/config-watcher.js';
import { startWatchers } from '../../../src/desktop/watchers/index.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { waitFor } from './watch-helpers.js';

/** Writes the file the way editors and saveConfig do: a new file in the same folder, renamed over the old one. */
function replace(file: string, text: string): void {
  const temp = `${file}.${Math.random().toString(16).slice(2)}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

describe('the configuration file', () => {
  test('a valid change is delivered; invalid JSON is reported and the old configuration stays; a fix is delivered again', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'billsync-config-'));
    const file = join(dir, 'billsync.json');
    writeFileSync(file, JSON.stringify({ exportRoot: 'C:\\Venice\\Export', billit: { apiKey: 'secret-key-1' } }));
    const configs: BillsyncConfig[] = [];
    const errors: Error[] = [];
    const watcher = await startConfigWatcher({ configFile: file, onConfig: (c) => configs.push(c), onError: (e) => errors.push(e), debounceMs: 100 });
    t.after(() => watcher.close());

    replace(file, JSON.stringify({ exportRoot: 'D:\\Venice\\Export', billit: { apiKey: 'secret-key-1' }, dossierConcurrency: 2 }));
    await waitFor('the new configuration', () => configs.length === 1);
    assert.equal(configs[0]!.exportRoot, 'D:\\Venice\\Export');
    assert.equal(configs[0]!.dossierConcurrency, 2);
    assert.equal(errors.length, 0);

    replace(file, '{ "exportRoot": "E:\\\\Export", "billit": { "apiKey": "secret-key-2" ');
    await waitFor('the error', () => errors.length === 1);
    assert.ok(errors[0] instanceof ConfigError);
    assert.match(errors[0]!.message, /not valid JSON/);
    assert.equal(errors[0]!.message.includes('secret-key-2'), false, 'the message does not quote the file');
    await sleep(400);
    assert.equal(configs.length, 1, 'an invalid file is never delivered');

    replace(file, JSON.stringify({ exportRoot: 'D:\\Venice\\Export', billit: { apiKey: 'secret-key-1' }, dossierConcurrency: 2 }));
    await waitFor('the configuration after the fix', () => configs.length === 2);
    assert.equal(configs[1]!.exportRoot, 'D:\\Venice\\Export', 'after an error, even the settings in force are delivered again');
  });

  test('a value the schema refuses is an error naming the key; a removed file is an error, not the defaults', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'billsync-config-'));
    const file = join(dir, 'billsync.json');
    writeFileSync(file, JSON.stringify({ exportRoot: '/srv/export' }));
    const configs: BillsyncConfig[] = [];
    const errors: Error[] = [];
    const watcher = await startConfigWatcher({ configFile: file, onConfig: (c) => configs.push(c), onError: (e) => errors.push(e), debounceMs: 100 });
    t.after(() => watcher.close());

    replace(file, JSON.stringify({ exportRoot: '/srv/export', dossierConcurrency: 0 }));
    await waitFor('the schema error', () => errors.length === 1);
    assert.ok(errors[0] instanceof ConfigError);
    assert.equal((errors[0] as ConfigError).key, 'dossierConcurrency');

    // Another file in the same folder is none of the watcher's business.
    writeFileSync(join(dir, 'other.json'), '{ broken');
    rmSync(file);
    await waitFor('the removal error', () => errors.length === 2);
    assert.match(errors[1]!.message, /was removed/);
    assert.equal(configs.length, 0);
  });

  test('startWatchers reloads the configuration file it is given', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'billsync-config-'));
    const file = join(dir, 'config', 'billsync.json');
    const ledger = Ledger.open(join(dir, 'data', 'ledger.sqlite'));
    const configs: BillsyncConfig[] = [];
    const watchers = await startWatchers({
      exportRoot: join(dir, 'export'), configFile: file, ledger,
      client: { uploadToProcess: () => Promise.reject(new Error('no upload expected')) },
      onEvent: () => undefined, onConfig: (c) => configs.push(c), onError: (e) => assert.fail(e), configDebounceMs: 100,
    });
    t.after(async () => { await watchers.close(); ledger.close(); });
    replace(file, JSON.stringify({ exportRoot: join(dir, 'export'), dossierFolderTemplate: '{name}' }));
    await waitFor('the configuration', () => configs.length === 1);
    assert.equal(configs[0]!.dossierFolderTemplate, '{name}');
  });
});
