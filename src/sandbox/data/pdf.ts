import { Random } from './random.js';

/**
 * A minimal one-page PDF 1.4 (Helvetica text) to embed in sandbox UBL documents as the "visual" Venice shows.
 * Written by hand rather than with a PDF library: the structure is five objects, and exact control over the
 * bytes keeps the output deterministic and the xref offsets verifiable in tests.
 */

const PAGE_WIDTH = 595; // A4 in points
const PAGE_HEIGHT = 842;
const FONT_SIZE = 10;
const LEADING = 14;
const MARGIN = 50;
/** What fits on one page at this leading; the sandbox's documents stay far below it. */
const MAX_LINES = Math.floor((PAGE_HEIGHT - 2 * MARGIN) / LEADING);
const MAX_LINE_CHARS = 110;

/**
 * Helvetica here uses a simple 8-bit encoding, so the content stream stays 7-bit ASCII: accents are stripped
 * ("Liège" → "Liege"), the euro sign is spelled out, typographic dashes and quotes become their ASCII forms,
 * and anything else outside printable ASCII is dropped.
 */
export function toPdfAscii(text: string): string {
  return text
    .replace(/€/g, 'EUR')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '');
}

function pdfString(text: string): string {
  return `(${toPdfAscii(text).slice(0, MAX_LINE_CHARS).replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function contentStream(lines: string[]): Buffer {
  const ops = [`BT`, `/F1 ${FONT_SIZE} Tf`, `${LEADING} TL`, `${MARGIN} ${PAGE_HEIGHT - MARGIN} Td`];
  for (const line of lines.slice(0, MAX_LINES)) ops.push(`${pdfString(line)} Tj`, 'T*');
  ops.push('ET');
  return Buffer.from(`${ops.join('\n')}\n`, 'latin1');
}

function streamObject(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict}/Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

function assemble(bodies: Buffer[]): Buffer {
  // The second header line holds bytes above 127 so that transfer tools treat the file as binary (PDF 7.5.2).
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let position = parts[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((body, index) => {
    const chunk = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(position);
    parts.push(chunk);
    position += chunk.length;
  });
  const xref = [`xref`, `0 ${bodies.length + 1}`, '0000000000 65535 f '];
  // Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, and a 2-byte EOL (" \n").
  for (const offset of offsets) xref.push(`${String(offset).padStart(10, '0')} 00000 n `);
  const trailer = `${xref.join('\n')}\ntrailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${position}\n%%EOF\n`;
  parts.push(Buffer.from(trailer, 'latin1'));
  return Buffer.concat(parts);
}

/**
 * Builds the PDF. `padToBytes` adds an unreferenced stream object of incompressible bytes so that benchmarks
 * can work with realistic ~250 KB attachments (the UBL.BE samples embed PDFs of that size); unreferenced
 * objects are legal and ignored by readers, and the xref still lists them with correct offsets.
 */
export function makePdf(lines: string[], options: { padToBytes?: number; rnd?: Random } = {}): Buffer {
  const fixed = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      '/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>', 'latin1'),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1'),
    streamObject('', contentStream(lines)),
  ];
  const pdf = assemble(fixed);
  const target = options.padToBytes ?? 0;
  if (pdf.length >= target) return pdf;

  // Random bytes do not compress, so the size survives zipping. A fork keeps the caller's stream where it was,
  // and the default source keeps the output deterministic. The padding object's own header, dictionary and
  // xref entry only add bytes, so one build with the missing byte count always reaches the target.
  const source = (options.rnd ?? new Random('pdf')).fork('padding');
  return assemble([...fixed, streamObject('', source.bytes(target - pdf.length))]);
}
