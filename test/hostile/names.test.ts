import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { exceedsWindowsMaxPath, KIND_FOLDERS } from '../../src/export/layout.js';
import { isReservedDeviceName, sanitizeSegment } from '../../src/export/windows-name.js';
import type { DocumentRow } from '../../src/ledger/document-row.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { SandboxDocument } from '../../src/sandbox/world/model.js';
import { registerDocumentFile } from '../../src/sandbox/world/files.js';
import type { SyncEvent } from '../../src/sync/sync-context.js';
import type { SyncSummary } from '../../src/sync/run-sync.js';
import { control, openSandbox } from '../support/sandbox.js';
import { assertContained, hostileCase, hostileEnv, reportCaseCount, type HostileEnv } from './hostile-support.js';

/**
 * Names beyond test/export/names.test.ts's list, through a real sync: Billit (the sandbox, with names
 * set in its world) serves hostile dossier names, document names and invoice numbers, and billsync
 * exports them. Every file must land inside the root, in its dossier's kind folder, under a name that
 * is valid on Windows and unique case-insensitively, and every name billsync had to change must be
 * reported as an event.
 */

reportCaseCount();

/** Document names: each becomes one document of the first dossier. */
const DOCUMENT_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['an NTFS alternate data stream after an extension', 'a.xml:evil'],
  ['the $DATA stream of an ADS', 'report.pdf::$DATA'],
  ['an 8.3 short name', 'PROGRA~1'],
  ['an 8.3 short name with extension', 'INVOIC~2.PDF'],
  ['COM with superscript two', 'COM²'],
  ['LPT with superscript one and an extension', 'LPT¹.pdf'],
  ['CON with a space before the extension', 'CON .xml'],
  ['CONOUT$ and CLOCK$', 'CONOUT$'],
  ['one-dot leaders between dots', '..\u2024..'],
  ['two-dot leaders as a traversal', '\u2025/\u2025/etc'],
  ['URL-encoded traversal', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
  ['URL-encoded backslash traversal', '..%5c..%5cWindows'],
  ['only dots', '....'],
  ['only dots and spaces', '. . . .'],
  ['only spaces and a dot', '   .  '],
  ['a trailing dot-space combination', 'report. .'],
  ['a trailing space-dot combination', 'report .'],
  ['a double extension ending in a dot', 'report..pdf.'],
  ['zero-width joiners', 'a\u200Db\u200Dc'],
  ['a ZWJ emoji family', 'familie 👨\u200D👩\u200D👧'],
  ['a word joiner and a zero-width no-break space', 'a\u2060b\uFEFFc'],
  ['exactly 255 UTF-16 units of emoji', `a${'😀'.repeat(127)}`],
  ['an emoji pair cut at unit 255', `ab${'😀'.repeat(127)}`],
  ['combining marks piled on one letter', `e${'\u0301'.repeat(300)}`],
  ['a long-path prefix with UNC', '\\\\?\\UNC\\server\\share\\x'],
  ['a Windows path with a drive', 'D:\\Venice\\Billit\\x'],
  ['fullwidth colon and question mark', 'Factuur：maart？'],
  ['a name ending in its own extension, upper case', 'contract.PDF'],
];

/** Dossier names: each becomes one dossier's company name (folder template "{name}"). */
const DOSSIER_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['an NTFS alternate data stream', 'Dossier.xml:evil'],
  ['an 8.3 short name', 'PROGRA~1'],
  ['COM with superscript one', 'COM¹'],
  ['CON with a space before the extension', 'CON .xml'],
  ['one-dot leaders between dots', '..\u2024..'],
  ['URL-encoded traversal', '%2e%2e%2f'],
  ['only dots', '...'],
  ['only dots and spaces', ' . . '],
  ['a trailing dot and space', 'Bakkerij Janssens. '],
  ['zero-width joiners', 'Bouw\u200DPeeters\u200B BV'],
];

/** Pairs that must end up in two different folders (case-insensitively). */
const DOSSIER_PAIRS: ReadonlyArray<readonly [string, string, string]> = [
  ['names that differ only by case', 'Bakkerij Peeters BV', 'BAKKERIJ PEETERS BV'],
  ['names that are the same after NFC normalisation', 'Caf\u00E9 Soleil', 'Cafe\u0301 Soleil'],
];

/** Invoice numbers of two orders with the same date and counterparty: their files share a folder. */
const ORDER_PAIRS: ReadonlyArray<readonly [string, string, string]> = [
  ['invoice numbers that differ only by case', 'INV-CASE-001', 'inv-case-001'],
  ['invoice numbers that are the same after NFC normalisation', 'Caf\u00E9-001', 'Cafe\u0301-001'],
  ['invoice numbers that differ only by an alternate data stream', 'F-100:evil', 'F-100_evil'],
];

const LONG_DOSSIER = `Zeer Lange Dossiernaam ${'Boekhouding '.repeat(30)}`.trim();
const LONG_DOCUMENT = `Overeenkomst ${'bijlage '.repeat(40)}`.trim();

/** The project's own rule (sanitizeSegment must leave a safe name alone) plus Windows' rules checked independently. */
function assertWindowsName(segment: string, what: string): void {
  assert.ok(segment.length >= 1 && segment.length <= 255, `${what}: ${segment.length} UTF-16 units`);
  assert.equal(sanitizeSegment(segment, { maxLength: 255 }), segment, `${what}: ${JSON.stringify(segment)} is not a sanitised segment`);
  assert.doesNotMatch(segment, /[<>:"/\\|?*\u0000-\u001F]/, `${what}: a character Windows refuses in ${JSON.stringify(segment)}`);
  assert.doesNotMatch(segment, /[. ]$/, `${what}: Windows drops the trailing dot or space of ${JSON.stringify(segment)}`);
  assert.doesNotMatch(segment, /^[. ]/, `${what}: leading dot or space in ${JSON.stringify(segment)}`);
  assert.ok(!isReservedDeviceName(segment), `${what}: ${segment} is a DOS device`);
  assert.ok(!/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i.test((segment.split('.')[0] ?? '').trimEnd()), `${what}: ${segment} is a DOS device`);
  assert.doesNotMatch(segment, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `${what}: a lone surrogate in ${JSON.stringify(segment)}`);
  assert.doesNotMatch(segment, /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/, `${what}: an invisible format character in ${JSON.stringify(segment)}`);
  assert.equal(segment, segment.normalize('NFC'), `${what}: not NFC`);
  assert.doesNotMatch(segment, /^[^.]{1,8}~\d[^.]*(\.[^.]{0,3})?$/, `${what}: ${segment} looks like an 8.3 short-name alias`);
}

describe('hostile names through a real sync', () => {
  let sandbox: Sandbox;
  let env: HostileEnv;
  let summary: SyncSummary;
  let rows: DocumentRow[] = [];
  let folders = new Map<number, string>();
  let main: number;
  let longDossier: number;
  const documentIds = new Map<string, number>();
  const dossierIds = new Map<string, number>();
  const pairDossiers: Array<[number, number]> = [];
  const pairOrders: Array<[number, number]> = [];
  let longDocumentId: number;

  before(async () => {
    const count = 1 + DOSSIER_NAMES.length + DOSSIER_PAIRS.length * 2 + 1;
    sandbox = await openSandbox({ dossiers: count, docsPerDossier: 1, otherDocsPerDossier: 1, codaDays: 0 });
    const world = sandbox.world;
    const ids = [...world.dossiers.keys()];
    main = ids.shift()!;
    world.dossiers.get(main)!.name = 'Hostile Names BV';
    for (const [label, name] of DOSSIER_NAMES) {
      const id = ids.shift()!;
      world.dossiers.get(id)!.name = name;
      dossierIds.set(label, id);
    }
    for (const [, a, b] of DOSSIER_PAIRS) {
      const first = ids.shift()!;
      const second = ids.shift()!;
      world.dossiers.get(first)!.name = a;
      world.dossiers.get(second)!.name = b;
      pairDossiers.push([first, second]);
    }
    longDossier = ids.shift()!;
    world.dossiers.get(longDossier)!.name = LONG_DOSSIER;

    const addDocument = (partyId: number, name: string): number => {
      const documentId = world.nextDocumentId++;
      const document: SandboxDocument = {
        documentId, companyId: partyId, name, description: 'hostile name', documentDate: '2026-10-01T00:00:00',
        creationDate: '2026-10-01T10:00:00.000', tags: [], fileId: `hostile-document-${documentId}`,
      };
      world.documents.set(documentId, document);
      registerDocumentFile(world, document);
      return documentId;
    };
    for (const [label, name] of DOCUMENT_NAMES) documentIds.set(label, addDocument(main, name));
    longDocumentId = addDocument(longDossier, LONG_DOCUMENT);

    for (const [, a, b] of ORDER_PAIRS) {
      const { orderIds } = await control(sandbox, 'POST', 'documents', {
        partyId: main, count: 2, direction: 'Cost', type: 'Invoice', approvalStatus: 'Approved', orderDate: '2026-10-01', created: '2026-10-01T10:00:00',
      }) as { orderIds: [number, number] };
      const [first, second] = orderIds.map((id) => world.orders.get(id)!) as [NonNullable<ReturnType<typeof world.orders.get>>, NonNullable<ReturnType<typeof world.orders.get>>];
      second.counterparty = first.counterparty;
      second.orderDate = first.orderDate;
      first.plan = { ...first.plan, number: a };
      second.plan = { ...second.plan, number: b };
      pairOrders.push([first.orderId, second.orderId]);
    }

    env = hostileEnv(sandbox, { dossierFolderTemplate: '{name}' });
    summary = await env.sync();
    rows = env.ledger((ledger) => ledger.documents.listByState(['acknowledged', 'placed', 'fetched', 'seen', 'quarantined']));
    folders = env.ledger((ledger) => new Map(ledger.dossiers.list().map((d) => [d.partyId, d.folder] as const)));
  });
  after(async () => {
    await sandbox?.close();
    env?.dispose();
  });

  const rowOf = (source: string, billitId: number | string): DocumentRow => {
    const row = rows.find((r) => r.source === source && r.billitId === String(billitId));
    assert.ok(row, `the ledger knows ${source} ${billitId}`);
    return row;
  };
  const eventsOf = (filter: (event: SyncEvent) => boolean): SyncEvent[] => env.events.filter(filter);

  /** The exported file of a ledger row: where it is, inside the dossier's kind folder, with a valid name. */
  function assertPlaced(row: DocumentRow, kindFolder: string, what: string): string {
    assert.equal(row.state, 'acknowledged', `${what}: ${row.state} (${row.lastError ?? ''})`);
    assert.ok(row.finalPath, `${what}: no final path`);
    const finalPath = path.resolve(row.finalPath);
    const folder = folders.get(row.dossierPartyId);
    assert.ok(folder, `${what}: the dossier has a folder`);
    assert.equal(path.dirname(finalPath), path.join(path.resolve(env.root), folder, kindFolder), `${what}: ${finalPath} is not in its kind folder`);
    assert.ok(existsSync(finalPath), `${what}: ${finalPath} is not on disk`);
    const name = path.basename(finalPath);
    assertWindowsName(name, what);
    return name;
  }

  /** A name billsync changed must be reported: a name-sanitized (or conflict) event for the document with the written name. */
  function assertRenameReported(row: DocumentRow, original: string, written: string, what: string): void {
    if (original === written) return;
    const reported = eventsOf((e) => e.documentId === row.id && (e.type === 'name-sanitized' || e.type === 'conflict'));
    assert.ok(reported.some((e) => e.message.includes(JSON.stringify(written)) || e.message.includes(written)),
      `${what}: the rename of ${JSON.stringify(original)} to ${JSON.stringify(written)} is not reported; events: ${reported.map((e) => e.message).join(' | ') || 'none'}`);
  }

  hostileCase('the run completes, exports every hostile-named document, and writes only inside the root and the data dir', () => {
    assert.equal(summary.counts.failed, 0, `failures: ${env.events.filter((e) => e.level === 'error').map((e) => e.message).join(' | ')}`);
    assert.ok(summary.counts.exported >= DOCUMENT_NAMES.length + ORDER_PAIRS.length * 2, JSON.stringify(summary.counts));
    assertContained(env, 'the hostile-names sync');
    for (const file of env.files()) {
      const parts = file.split('/');
      assert.equal(parts.length, 3, `${file} is dossier/kind/file`);
      for (const part of parts) assertWindowsName(part, file);
    }
  });

  hostileCase('every file is unique case-insensitively and after NFC normalisation, as on a Windows share', () => {
    const files = env.files();
    const folded = files.map((f) => f.normalize('NFC').toLowerCase());
    const clashes = files.filter((_f, i) => folded.indexOf(folded[i]!) !== i);
    assert.deepEqual(clashes, [], 'files whose names differ only by case or normalisation');
  });

  for (const [label, name] of DOCUMENT_NAMES) {
    hostileCase(`document named with ${label} (${JSON.stringify(name).slice(0, 40)}) lands in Documents under a valid name, reported if renamed`, () => {
      const id = documentIds.get(label)!;
      const row = rowOf('documents', id);
      const written = assertPlaced(row, KIND_FOLDERS.document, label);
      assert.ok(written.endsWith(` (${id}).pdf`), `${written} keeps the document id and the extension`);
      assertRenameReported(row, `${name} (${id}).pdf`, written, label);
    });
  }

  hostileCase('document names that must keep their meaning keep it: URL escapes stay literal, not decoded', () => {
    const row = rowOf('documents', documentIds.get('URL-encoded traversal')!);
    assert.match(path.basename(row.finalPath ?? ''), /^%2e%2e%2f%2e%2e%2fetc%2fpasswd \(\d+\)\.pdf$/);
  });

  hostileCase('a name of exactly 255 UTF-16 units is cut at a character boundary, never inside a surrogate pair', () => {
    for (const label of ['exactly 255 UTF-16 units of emoji', 'an emoji pair cut at unit 255']) {
      const base = path.basename(rowOf('documents', documentIds.get(label)!).finalPath ?? '');
      const stem = base.replace(/ \(\d+\)\.pdf$/, '');
      assert.match(stem, /^ab?(😀)+$/u, `${label}: ${base}`);
    }
  });

  for (const [label, name] of DOSSIER_NAMES) {
    hostileCase(`dossier named with ${label} (${JSON.stringify(name)}) gets one valid folder inside the root, reported if renamed`, () => {
      const partyId = dossierIds.get(label)!;
      const folder = folders.get(partyId);
      assert.ok(folder, `the dossier ${partyId} has a folder`);
      assertWindowsName(folder, label);
      const exported = rows.filter((r) => r.dossierPartyId === partyId && r.state === 'acknowledged');
      assert.ok(exported.length > 0, `${label}: something was exported for the dossier`);
      for (const row of exported) assert.ok(path.resolve(row.finalPath ?? '').startsWith(path.join(path.resolve(env.root), folder) + path.sep), `${row.finalPath} is inside ${folder}`);
      if (folder !== name) {
        const reported = eventsOf((e) => e.dossierPartyId === partyId && e.level === 'warn');
        assert.ok(reported.some((e) => e.message.includes(folder)), `${label}: the folder ${JSON.stringify(folder)} for ${JSON.stringify(name)} is not reported`);
      }
    });
  }

  for (const [index, [label, a, b]] of DOSSIER_PAIRS.entries()) {
    hostileCase(`two dossiers with ${label} (${JSON.stringify(a)} and ${JSON.stringify(b)}) get two folders, and the changed one is reported`, () => {
      const [first, second] = pairDossiers[index]!;
      const one = folders.get(first)!;
      const two = folders.get(second)!;
      assert.notEqual(one.normalize('NFC').toLowerCase(), two.normalize('NFC').toLowerCase(), `${one} and ${two} are the same folder on Windows`);
      for (const [partyId, folder, name] of [[first, one, a], [second, two, b]] as const) {
        assertWindowsName(folder, label);
        if (folder !== name) {
          const reported = eventsOf((e) => e.dossierPartyId === partyId && e.level === 'warn');
          assert.ok(reported.some((e) => e.message.includes(folder)), `${label}: ${JSON.stringify(name)} went to ${JSON.stringify(folder)} without an event`);
        }
      }
    });
  }

  for (const [index, [label, a, b]] of ORDER_PAIRS.entries()) {
    hostileCase(`two orders with ${label} (${JSON.stringify(a)} and ${JSON.stringify(b)}) get two files, and the second name is reported`, () => {
      const [first, second] = pairOrders[index]!;
      const one = assertPlaced(rowOf('orders', first), KIND_FOLDERS.purchase, `${label} (first)`);
      const two = assertPlaced(rowOf('orders', second), KIND_FOLDERS.purchase, `${label} (second)`);
      assert.notEqual(one.normalize('NFC').toLowerCase(), two.normalize('NFC').toLowerCase(), `${one} and ${two} are one file on Windows`);
      const secondRow = rowOf('orders', second);
      const reported = eventsOf((e) => e.documentId === secondRow.id && (e.type === 'conflict' || e.type === 'name-sanitized'));
      assert.ok(reported.length > 0, `${label}: the second order's file ${two} was named apart without an event`);
    });
  }

  hostileCase('a very long dossier name and document name stay inside the root, and a path Windows cannot open is reported', () => {
    const row = rowOf('documents', longDocumentId);
    const name = assertPlaced(row, KIND_FOLDERS.document, 'long names');
    const folder = folders.get(longDossier)!;
    assert.ok(folder.length <= 120 && name.length <= 120, `${folder.length} + ${name.length} units`);
    const windowsPath = path.win32.join(env.root, folder, KIND_FOLDERS.document, name);
    assert.ok(exceedsWindowsMaxPath(env.root, folder, KIND_FOLDERS.document, name), `the fixture makes a path of ${windowsPath.length} units, over MAX_PATH`);
    const warned = eventsOf((e) => e.level === 'warn' && (e.documentId === row.id || e.dossierPartyId === longDossier) && /260|MAX_PATH|too long/i.test(e.message));
    assert.ok(warned.length > 0, `a ${windowsPath.length}-unit path was written without a warning that Venice and Explorer cannot open it`);
  });

  hostileCase('every name-sanitized event carries the original and the written name, and messages stay short', () => {
    const sanitized = eventsOf((e) => e.type === 'name-sanitized');
    assert.ok(sanitized.length >= DOCUMENT_NAMES.length / 2, `${sanitized.length} events`);
    for (const event of sanitized) {
      assert.equal(typeof event.data?.original, 'string');
      assert.equal(typeof event.data?.written, 'string');
      assert.notEqual(event.data?.original, event.data?.written);
      assert.ok(event.message.length < 2_000, `${event.message.length} characters`);
    }
  });
});
