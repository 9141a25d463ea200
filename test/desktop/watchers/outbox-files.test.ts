import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  MAX_OUTBOX_FILE_BYTES, classifyOutboxFile, isOutboxDocumentName, moveWithoutOverwrite, reasonText,
} from '../../../src/desktop/watchers/outbox-files.js';
import { realFileSystem } from '../../../src/platform/fs/file-system.js';
import { generateCompany } from '../../../src/sandbox/data/company.js';
import { planInvoice } from '../../../src/sandbox/data/invoice-plan.js';
import { Random } from '../../../src/sandbox/data/random.js';
import { renderUbl } from '../../../src/sandbox/data/ubl-render.js';
import { pdfBytes } from './watch-helpers.js';

/** A Peppol BIS 3 invoice or credit note as Billit serves them (the sandbox's generator). */
function ubl(kind: 'Invoice' | 'CreditNote'): Buffer {
  const rnd = new Random(`outbox-${kind}`);
  const plan = planInvoice(rnd, { kind, number: `OUT-${kind}`, issueDate: '2026-11-02', dueDate: '2026-12-02', supplier: generateCompany(rnd, 1), customer: generateCompany(rnd, 2) });
  return renderUbl(plan, {});
}

describe('what the Outbox accepts', () => {
  test('PDF, UBL invoices and credit notes, JPEG and PNG are accepted with their MIME type', () => {
    assert.deepEqual(classifyOutboxFile(pdfBytes('a')), { ok: true, type: { kind: 'pdf', mimeType: 'application/pdf' } });
    assert.deepEqual(classifyOutboxFile(ubl('Invoice')), { ok: true, type: { kind: 'ubl', mimeType: 'text/xml' } });
    assert.deepEqual(classifyOutboxFile(ubl('CreditNote')), { ok: true, type: { kind: 'ubl', mimeType: 'text/xml' } });
    const prefixed = Buffer.from('\uFEFF<?xml version="1.0"?>\n<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><x/></ubl:Invoice>');
    assert.equal(classifyOutboxFile(prefixed).ok, true);
    assert.deepEqual(classifyOutboxFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x11, 0xff, 0xd9])), { ok: true, type: { kind: 'jpeg', mimeType: 'image/jpeg' } });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from([0, 0, 0, 0]), Buffer.from('IEND'), Buffer.from([0xae, 0x42, 0x60, 0x82])]);
    assert.deepEqual(classifyOutboxFile(png), { ok: true, type: { kind: 'png', mimeType: 'image/png' } });
  });

  test('everything else is refused with a reason a person can act on', () => {
    const reason = (bytes: Buffer) => { const result = classifyOutboxFile(bytes); assert.equal(result.ok, false); return (result as { reason: string }).reason; };
    assert.match(reason(Buffer.from('PK\u0003\u0004word/document.xml')), /not a PDF, a UBL invoice or credit note/);
    assert.match(reason(Buffer.from('MZ\u0090\u0000\u0003')), /not a PDF/);
    assert.match(reason(Buffer.alloc(0)), /empty/);
    // An image still being copied: the head is there, the end is not.
    assert.match(reason(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 0x41)])), /JPEG image is incomplete/);
    assert.match(reason(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(25, 0x41)])), /PNG image is incomplete/);
    assert.match(reason(Buffer.from('%PDF-1.7\n1 0 obj\n')), /incomplete.*%%EOF/);
    assert.match(reason(Buffer.from('<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>')), /not a UBL Invoice or CreditNote/);
    assert.match(reason(Buffer.from('<Invoice xmlns="urn:example:not-ubl"></Invoice>')), /not a UBL Invoice/);
    assert.match(reason(Buffer.from('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>1')), /incomplete|not well-formed/);
    assert.match(reason(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')), /DOCTYPE/);
    assert.match(reason(Buffer.alloc(MAX_OUTBOX_FILE_BYTES + 1, 0x25)), /25\.0 MB/);
  });

  test('hidden, temporary, system and unfinished files are not documents to send', () => {
    for (const name of ['factuur 2026-001.pdf', 'scan.JPG', 'UBL.xml', 'zonder extensie']) assert.equal(isOutboxDocumentName(name), true, name);
    for (const name of ['.hidden.pdf', '.billsync-0a1b2c3d4e5f.partial', 'desktop.ini', 'Thumbs.db', '~$factuur.docx', 'download.pdf.crdownload', 'x.tmp', 'sent', 'FAILED']) {
      assert.equal(isOutboxDocumentName(name), false, name);
    }
  });
});

describe('moving files on', () => {
  test('never overwrites: the second file with a name gets a conflict name, and a failed file keeps its reason name free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsync-move-'));
    const outbox = join(dir, 'Outbox');
    mkdirSync(outbox);
    writeFileSync(join(outbox, 'a.pdf'), 'one');
    const first = await moveWithoutOverwrite(realFileSystem, join(outbox, 'a.pdf'), join(outbox, 'sent'), 'a.pdf');
    writeFileSync(join(outbox, 'a.pdf'), 'two');
    const second = await moveWithoutOverwrite(realFileSystem, join(outbox, 'a.pdf'), join(outbox, 'sent'), 'a.pdf');
    assert.equal(first, join(outbox, 'sent', 'a.pdf'));
    assert.equal(second, join(outbox, 'sent', 'a (conflict 2).pdf'));
    assert.equal(readFileSync(first, 'utf8'), 'one');
    assert.equal(readFileSync(second, 'utf8'), 'two');

    mkdirSync(join(outbox, 'failed'));
    writeFileSync(join(outbox, 'failed', 'b.pdf.txt'), 'an orphaned reason');
    writeFileSync(join(outbox, 'b.pdf'), 'three');
    const failed = await moveWithoutOverwrite(realFileSystem, join(outbox, 'b.pdf'), join(outbox, 'failed'), 'b.pdf', true);
    assert.equal(failed, join(outbox, 'failed', 'b (conflict 2).pdf'));
    assert.deepEqual(readdirSync(outbox).sort(), ['failed', 'sent']);
  });

  test('the reason file is for Notepad: BOM, CRLF, Brussels time, no bare LF', () => {
    const text = reasonText({
      fileName: 'factuur.pdf', dossierName: 'Bakkerij Émile', dossierPartyId: 42, at: new Date('2026-07-01T12:00:00Z'),
      reason: 'Billit answered 400', sha256: 'ab'.repeat(32),
    });
    assert.ok(text.startsWith('\uFEFF'));
    assert.match(text, /File: {4}factuur\.pdf\r\n/);
    assert.match(text, /Dossier: Bakkerij Émile \(Billit PartyID 42\)\r\n/);
    assert.match(text, /Time: {4}2026-07-01 14:00:00 \(Europe\/Brussels\)\r\n/);
    assert.match(text, /Reason: {2}Billit answered 400\r\n/);
    assert.equal(/[^\r]\n/.test(text), false);
  });
});
