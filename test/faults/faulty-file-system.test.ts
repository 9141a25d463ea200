import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FaultyFileSystem, fsError } from '../../src/platform/fs/faulty-file-system.js';
import { realFileSystem } from '../../src/platform/fs/file-system.js';
import { renameWithRetry, writeFileAtomic } from '../../src/platform/fs/atomic-write.js';
import { placeFile } from '../../src/export/placement.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'billsync-faultyfs-'));

describe('FaultyFileSystem', () => {
  test('passes everything through without rules', async () => {
    const dir = scratch();
    const fs = new FaultyFileSystem(realFileSystem);
    await writeFileAtomic(fs, join(dir, 'a'), 'x.txt', Buffer.from('hello'));
    assert.equal(readFileSync(join(dir, 'a', 'x.txt'), 'utf8'), 'hello');
    assert.deepEqual(fs.counts(), { total: 0, byKind: {} });
  });

  test('errors look like node:fs errors', () => {
    const error = fsError('EBUSY', 'rename', '/a', '/b');
    assert.equal(error.code, 'EBUSY');
    assert.equal(error.syscall, 'rename');
    assert.equal(error.message, "EBUSY: resource busy or locked, rename '/a' -> '/b'");
  });

  test('a rule matches operation and folder, and counts what it injected', async () => {
    const dir = scratch();
    const fs = new FaultyFileSystem(realFileSystem);
    fs.add({ op: 'open', path: join(dir, 'locked'), code: 'EACCES' });
    await assert.rejects(writeFileAtomic(fs, join(dir, 'locked'), 'x', Buffer.from('1')), { code: 'EACCES' });
    await writeFileAtomic(fs, join(dir, 'open'), 'x', Buffer.from('1'));
    // A sibling whose name starts the same is not "under" the folder.
    await writeFileAtomic(fs, join(dir, 'locked-not'), 'x', Buffer.from('1'));
    assert.deepEqual(fs.counts(), { total: 1, byKind: { 'open:EACCES': 1 } });
    assert.deepEqual(readdirSync(join(dir, 'locked')), [], 'no temp file left behind');
  });

  test('a partial write leaves half a temp file, which the atomic writer removes', async () => {
    const dir = scratch();
    const seen: string[] = [];
    const fs = new FaultyFileSystem(realFileSystem, { onFault: (f) => seen.push(f.path) });
    fs.add({ op: 'write', code: 'ENOSPC', partialWrite: true, count: 1 });
    await assert.rejects(placeFile(fs, join(dir, 'out', 'doc.xml'), Buffer.alloc(1000, 1)), /ENOSPC: no space left on device/);
    assert.deepEqual(readdirSync(join(dir, 'out')), []);
    assert.equal(seen.length, 1);
    const placed = await placeFile(fs, join(dir, 'out', 'doc.xml'), Buffer.alloc(1000, 1));
    assert.equal(placed.status, 'written', 'count: 1 retires the rule');
  });

  test('firstAttemptsPerPath makes a transient lock that renameWithRetry outlasts', async () => {
    const dir = scratch();
    const fs = new FaultyFileSystem(realFileSystem);
    fs.add({ op: 'rename', code: 'EBUSY', firstAttemptsPerPath: 2 });
    writeFileSync(join(dir, 'a'), 'a');
    writeFileSync(join(dir, 'b'), 'b');
    await renameWithRetry(fs, join(dir, 'a'), join(dir, 'a2'));
    await renameWithRetry(fs, join(dir, 'b'), join(dir, 'b2'));
    assert.equal(fs.counts().total, 4);
    assert.ok(existsSync(join(dir, 'a2')) && existsSync(join(dir, 'b2')));
  });

  test('maxPaths limits a persistent rule to the first files it meets', async () => {
    const dir = scratch();
    const fs = new FaultyFileSystem(realFileSystem);
    fs.add({ op: 'stat', code: 'EIO', maxPaths: 1 });
    writeFileSync(join(dir, 'a'), 'a');
    writeFileSync(join(dir, 'b'), 'b');
    await assert.rejects(fs.stat(join(dir, 'a')), { code: 'EIO' });
    await fs.stat(join(dir, 'b'));
    await assert.rejects(fs.stat(join(dir, 'a')), { code: 'EIO' });
  });

  test('probability draws from a seeded stream: the same seed, the same faults', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a'), 'a');
    const pattern = async (seed: string) => {
      const fs = new FaultyFileSystem(realFileSystem, { seed });
      fs.add({ op: 'access', code: 'EIO', probability: 0.3 });
      const out: boolean[] = [];
      for (let i = 0; i < 50; i++) out.push(await fs.access(join(dir, 'a')).then(() => false, () => true));
      return out;
    };
    const a = await pattern('one');
    assert.deepEqual(await pattern('one'), a);
    assert.notDeepEqual(await pattern('two'), a);
    const hits = a.filter(Boolean).length;
    assert.ok(hits > 5 && hits < 30, `about 30 % fired (${hits}/50)`);
  });

  test('a vanished root is really gone from disk, refuses every call, and comes back whole', async () => {
    const dir = scratch();
    const root = join(dir, 'share');
    mkdirSync(join(root, 'Dossier'), { recursive: true });
    writeFileSync(join(root, 'Dossier', 'a.xml'), 'a');
    const fs = new FaultyFileSystem(realFileSystem);
    await fs.vanish(root);
    assert.equal(existsSync(root), false);
    await assert.rejects(fs.mkdir(join(root, 'Dossier', 'Sales'), { recursive: true }), { code: 'ENOENT' });
    await assert.rejects(fs.stat(root), { code: 'ENOENT' });
    assert.deepEqual(fs.writesWhileVanished, [`mkdir ${join(root, 'Dossier', 'Sales')}`]);
    await fs.restore();
    assert.equal(readFileSync(join(root, 'Dossier', 'a.xml'), 'utf8'), 'a');
    assert.deepEqual(fs.counts().byKind, { 'vanished:mkdir': 1, 'vanished:stat': 1 });
  });

  test('calls on their way when the share goes finish first; none lands after the folder moved', async () => {
    const dir = scratch();
    const root = join(dir, 'share');
    mkdirSync(root);
    const fs = new FaultyFileSystem(realFileSystem);
    const inFlight = fs.mkdir(join(root, 'Dossier', 'Sales'), { recursive: true });
    await fs.vanish(root);
    await inFlight;
    assert.equal(existsSync(root), false, 'the mkdir -p in flight did not create a fresh root');
    await fs.restore();
    assert.ok(existsSync(join(root, 'Dossier', 'Sales')));
  });

  test('restore refuses when something recreated the root meanwhile', async () => {
    const dir = scratch();
    const root = join(dir, 'share');
    mkdirSync(root);
    const fs = new FaultyFileSystem(realFileSystem);
    await fs.vanish(root);
    mkdirSync(root); // what an unguarded mkdir -p would do
    await assert.rejects(fs.restore(), /created again while the share was gone/);
  });

  test('vanishAfterRenames unmounts after the N-th file placed under the root', async () => {
    const dir = scratch();
    const root = join(dir, 'share');
    mkdirSync(root);
    const fs = new FaultyFileSystem(realFileSystem);
    fs.vanishAfterRenames(root, 2);
    await placeFile(fs, join(root, 'a.xml'), Buffer.from('a'));
    assert.equal(fs.vanished, false);
    // The share goes right after the rename: the folder sync that follows fails, the file is in place.
    await assert.rejects(placeFile(fs, join(root, 'b.xml'), Buffer.from('b')), { code: 'ENOENT' });
    assert.equal(fs.vanished, true);
    await assert.rejects(placeFile(fs, join(root, 'c.xml'), Buffer.from('c')), { code: 'ENOENT' });
    await fs.restore();
    assert.deepEqual(readdirSync(root).sort(), ['a.xml', 'b.xml']);
  });
});
