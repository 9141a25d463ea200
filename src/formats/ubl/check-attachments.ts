import type { Element } from '@xmldom/xmldom';
import { ALLOWED_MIME_CODES, decodeStrictBase64, pdfProblem } from './binary-object.js';
import { ADVICE, ALWAYS, CEN } from './rule-policy.js';
import type { UblContext } from './ubl-context.js';
import { UBL_NS, cbcText, kids, nonEmpty, pathBelow, pathOf } from './ubl-dom.js';
import { restoreBlock } from './ubl-input.js';

/**
 * Attachments (BG-24): BR-52 (a reference id), UBL-DT-06/07 (mimeCode and filename), BR-CL-24 (allowed
 * MIME codes), strict base64 (BILLSYNC-ATTACHMENT-BASE64) and a readable PDF (BILLSYNC-PDF-INVALID). The
 * embedded PDF is the visual Venice shows next to the booking; without one, Venice shows nothing
 * (BILLSYNC-NO-PDF, a warning: Peppol BIS 3 does not require it). Returns whether a sound PDF is present.
 */
export function checkAttachments(ctx: UblContext, binaries: readonly Element[]): boolean {
  const { rules } = ctx;
  for (const reference of kids(ctx.root, UBL_NS.cac, 'AdditionalDocumentReference')) {
    if (!nonEmpty(cbcText(reference, 'ID'))) {
      rules.report(CEN, 'BR-52', 'the supporting document has no reference (cbc:ID, BT-122)', pathBelow(reference, 'cbc:ID'));
    }
  }

  let hasPdf = false;
  let pdfCount = 0;
  for (const el of binaries) {
    const at = pathOf(el);
    const mimeCode = el.getAttribute('mimeCode')?.trim() ?? null;
    const fileName = el.getAttribute('filename')?.trim() ?? null;
    // mimeCode is required by the UBL schema itself; its code list and filename are EN 16931's rules,
    // which documents of the older formats (BIS 2, e-fff) do not follow.
    if (!nonEmpty(mimeCode)) rules.report(ALWAYS, 'UBL-DT-06', 'the attachment has no mimeCode attribute', at);
    else if (!ALLOWED_MIME_CODES.has(mimeCode)) {
      rules.report(CEN, 'BR-CL-24', `the attachment's mimeCode "${mimeCode}" is not one of ${[...ALLOWED_MIME_CODES].join(', ')}`, at);
    }
    if (!nonEmpty(fileName)) rules.report(CEN, 'UBL-DT-07', 'the attachment has no filename attribute', at);

    const decoded = decodeStrictBase64(restoreBlock(el.textContent ?? '', ctx.blocks));
    const label = nonEmpty(fileName) ? `"${fileName}"` : 'the attachment';
    if (!decoded.ok) {
      rules.report(ALWAYS, 'BILLSYNC-ATTACHMENT-BASE64', `${label} is not valid base64: ${decoded.reason}`, at);
      if (mimeCode === 'application/pdf') pdfCount++;
      continue;
    }
    if (mimeCode !== 'application/pdf') continue;
    pdfCount++;
    const problem = pdfProblem(decoded.bytes);
    // Content that is no PDF at all is mislabelled (what else is wrong with the file?) and refused. A
    // damaged PDF is only a damaged visual, outside the invoice data (EN 16931 never looks inside an
    // attachment): reported, and counted as no PDF, so that Billit's own PDF is embedded beside it.
    if (problem === null) hasPdf = true;
    else if (problem.kind === 'not-pdf') rules.report(ALWAYS, 'BILLSYNC-PDF-INVALID', `${label} is declared application/pdf but ${problem.message}`, at);
    else rules.report(ADVICE, 'BILLSYNC-PDF-DAMAGED', `${label} is declared application/pdf but ${problem.message}; Billit's PDF of the invoice is embedded beside it where there is one`, at);
  }
  if (pdfCount === 0) {
    rules.report(ADVICE, 'BILLSYNC-NO-PDF',
      'no embedded PDF (AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject with mimeCode application/pdf): Venice will show no visual',
      pathBelow(ctx.root, 'cac:AdditionalDocumentReference'));
  }
  return hasPdf;
}
