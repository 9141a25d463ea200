import { makePdf } from '../data/pdf.js';
import { renderCoda } from '../data/coda-render.js';
import { wrapInSbdh } from '../data/sbdh.js';
import { renderUbl } from '../data/ubl-render.js';
import type { SandboxCodaFile, SandboxDocument, SandboxFile, SandboxOrder } from './model.js';
import type { World } from './world.js';

/**
 * Registers the files of orders, documents and CODA statements. Bytes are produced on request from
 * the entity and its seed label, so they are identical on every download and cost no memory at rest.
 */

function orderPdf(world: World, order: SandboxOrder): Buffer {
  const plan = order.plan;
  return makePdf([
    `${order.type === 'Invoice' ? 'Factuur' : 'Creditnota'} ${plan.number}`,
    `Datum ${plan.issueDate}`,
    `Van ${plan.supplier.name} (${plan.supplier.vatNumber})`,
    `Aan ${plan.customer.name} (${plan.customer.vatNumber})`,
    `Totaal excl. BTW EUR ${plan.totals.taxExclusive}`,
    `BTW EUR ${plan.totals.tax}`,
    `Te betalen EUR ${plan.totals.payable}`,
    `Mededeling ${plan.paymentReference}`,
  ], { padToBytes: world.options.pdfPadBytes, rnd: world.rnd.fork(`${order.seedLabel}:pdf`) });
}

export function registerOrderFiles(world: World, order: SandboxOrder): void {
  const baseName = `${order.orderId}-${order.companyId}-${order.ublFileId}`;
  world.files.set(order.pdfFileId, {
    fileId: order.pdfFileId, companyId: order.companyId, fileName: `${baseName}.xml_1.pdf`, mimeType: 'application/pdf',
    produce: () => orderPdf(world, order),
  });
  world.files.set(order.ublFileId, {
    fileId: order.ublFileId, companyId: order.companyId, fileName: `${baseName}.xml`, mimeType: 'text/xml',
    produce: () => {
      const rendered = renderUbl(order.plan, order.embedPdf
        ? { pdf: orderPdf(world, order), pdfFileName: `${order.plan.number.replace(/[^\w.-]/g, '_')}.pdf` }
        : {});
      const ubl = order.ublDamaged ? damageTotals(rendered) : rendered;
      if (!order.viaPeppol) return ubl;
      return wrapInSbdh(ubl, {
        senderId: `0208:${order.plan.supplier.enterpriseNumber}`,
        receiverId: `0208:${order.plan.customer.enterpriseNumber}`,
        documentId: order.ublFileId,
        createdAt: order.created,
        kind: order.type,
      });
    },
  });
}

export function registerDocumentFile(world: World, document: SandboxDocument): void {
  const file: SandboxFile = {
    fileId: document.fileId, companyId: document.companyId, fileName: `${document.name}.pdf`, mimeType: 'application/pdf',
    produce: () => makePdf([document.name, document.description, `Datum ${document.documentDate}`],
      { padToBytes: world.options.pdfPadBytes, rnd: world.rnd.fork(`document:${document.documentId}:pdf`) }),
  };
  world.files.set(file.fileId, file);
}

export function registerCodaFile(world: World, coda: SandboxCodaFile): void {
  world.files.set(coda.codaFileId, {
    fileId: coda.codaFileId, companyId: coda.companyId, fileName: coda.fileName, mimeType: 'text/plain',
    produce: () => renderCoda([coda.statement]),
  });
}

/** A supplier's arithmetic mistake: the payable amount 10.00 higher than the totals add up to. */
function damageTotals(ubl: Buffer): Buffer {
  return Buffer.from(ubl.toString('utf8').replace(/(<cbc:PayableAmount currencyID="[A-Z]{3}">)(-?\d+)\.(\d{2})</, (_, open: string, whole: string, cents: string) => `${open}${BigInt(whole) + 10n}.${cents}<`), 'utf8');
}
