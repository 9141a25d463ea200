import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SbdhError, unwrapSbdh } from '../../src/formats/ubl/sbdh.js';
import { generateCompany } from '../../src/sandbox/data/company.js';
import { planInvoice } from '../../src/sandbox/data/invoice-plan.js';
import { Random } from '../../src/sandbox/data/random.js';
import { wrapInSbdh } from '../../src/sandbox/data/sbdh.js';
import { renderUbl } from '../../src/sandbox/data/ubl-render.js';

function sampleUbl(seed: string): Buffer {
  const rnd = new Random(seed);
  const plan = planInvoice(rnd, {
    kind: 'Invoice', number: 'F-2026/0042', issueDate: '2026-11-02', dueDate: '2026-12-02',
    supplier: generateCompany(rnd, 1), customer: generateCompany(rnd, 2),
  });
  return renderUbl(plan, {});
}

test('unwrapping an SBDH envelope gives back the UBL bytes exactly and reports sender and receiver', () => {
  const ubl = sampleUbl('sbdh-1');
  const wrapped = wrapInSbdh(ubl, { senderId: '0208:0123456749', receiverId: '0208:0987654394', documentId: 'abc', createdAt: '2026-11-02T10:00:00', kind: 'Invoice' });
  const result = unwrapSbdh(wrapped);
  assert.equal(result.wrapped, true);
  assert.ok(result.wrapped && result.envelope.sender?.includes('0123456749'));
  assert.ok(result.wrapped && result.envelope.receiver?.includes('0987654394'));
  assert.equal(result.document.toString('utf8'), ubl.toString('utf8'));
});

test('a bare UBL document is returned unchanged', () => {
  const ubl = sampleUbl('sbdh-2');
  const result = unwrapSbdh(ubl);
  assert.equal(result.wrapped, false);
  assert.equal(result.document, ubl);
});

test('a payload that uses a prefix declared on the envelope is re-serialised with its namespaces', () => {
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader" xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <sh:StandardBusinessDocumentHeader><sh:HeaderVersion>1.0</sh:HeaderVersion></sh:StandardBusinessDocumentHeader>
  <inv:Invoice><cbc:ID>F-1</cbc:ID></inv:Invoice>
</sh:StandardBusinessDocument>`;
  const result = unwrapSbdh(Buffer.from(text));
  const out = result.document.toString('utf8');
  assert.match(out, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<inv:Invoice /);
  assert.match(out, /xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
  assert.match(out, /xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/);
});

test('an envelope with two documents or broken XML is refused with a reason', () => {
  const two = `<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader/><a xmlns="x"/><b xmlns="y"/></StandardBusinessDocument>`;
  assert.throws(() => unwrapSbdh(Buffer.from(two)), (error: unknown) => error instanceof SbdhError && /2 documents/.test(error.message));
  assert.throws(() => unwrapSbdh(Buffer.from('<Invoice><ID>1</Invoice>')), SbdhError);
});
