import { isUtf8 } from 'node:buffer';

/**
 * Turning the downloaded bytes into text that is safe and cheap to hand to the XML parser.
 */

const LATIN1_DECLARATION = /^<\?xml[^?]*encoding\s*=\s*["'](?:iso-8859-1|latin-?1|windows-1252|cp1252)["']/i;

/**
 * Bytes the text cannot be read from as UBL. Node's UTF-8 decoder silently turns invalid sequences into
 * U+FFFD, which xmldom accepts, but XML 1.0 makes an encoding error fatal and Venice refuses the file.
 * UTF-16 is legal XML, but Peppol and Venice take UTF-8 only; decoded as UTF-8 it would be reported as a
 * puzzling stray U+0000.
 */
export function encodingProblem(bytes: Buffer): string | null {
  const [a, b] = [bytes[0], bytes[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) || (a === 0x3c && b === 0x00) || (a === 0x00 && b === 0x3c)) {
    return 'the file is encoded as UTF-16; UBL invoices must be UTF-8';
  }
  if (LATIN1_DECLARATION.test(bytes.subarray(0, 200).toString('latin1')) || isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  const at = Math.max(0, text.indexOf('\uFFFD'));
  return `the bytes are not valid UTF-8 (first near ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}); the file was damaged or re-encoded on the way`;
}

/** UTF-8 (with or without BOM) unless the XML declaration names a Latin-1 family encoding. */
export function decodeXmlText(bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString('latin1');
  if (LATIN1_DECLARATION.test(head)) return bytes.toString('latin1');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * Any DOCTYPE or markup declaration in the markup of the raw text. Checked before parsing because an
 * internal subset is what entity-expansion ("billion laughs") and external-entity attacks need; UBL
 * never has one, so refusing outright costs nothing and means the parser never sees an entity
 * declaration. Comments and CDATA sections are skipped: what they hold is plain text to the parser
 * (XML 1.0 §2.5, §2.7), and an HTML note in CDATA ("<!DOCTYPE html>…") is no declaration.
 */
export function findUnsafeDeclaration(text: string): string | null {
  // Markup by markup, as the parser reads it: a processing instruction ends at "?>", a comment at
  // "-->", a CDATA section at "]]>"; whatever looks like a declaration inside one of them is text.
  // Each search resumes where the last one ended, so the scan stays linear in the text.
  const next = (what: string, from: number): number => { const i = text.indexOf(what, from); return i < 0 ? Infinity : i; };
  let cursor = 0;
  let bang = next('<!', 0);
  let pi = next('<?', 0);
  while (bang !== Infinity) {
    if (pi < bang) {
      const end = next('?>', pi + 2);
      if (end === Infinity) return null; // unterminated: the parser refuses the document
      cursor = end + 2;
    } else {
      const closing = text.startsWith('<!--', bang) ? '-->' : text.startsWith('<![CDATA[', bang) ? ']]>' : null;
      if (closing === null) {
        const match = /^<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i.exec(text.slice(bang, bang + 20));
        if (match) return match[1]!.toUpperCase();
        cursor = bang + 2;
      } else {
        const end = next(closing, bang + 4);
        if (end === Infinity) return null;
        cursor = end + closing.length;
      }
    }
    if (bang < cursor) bang = next('<!', cursor);
    if (pi < cursor) pi = next('<?', cursor);
  }
  return null;
}

/** The text that stands in for an extracted base64 block. */
const PLACEHOLDER_PREFIX = 'billsync-binary-object-';
const PLACEHOLDER = /^billsync-binary-object-(\d+)$/;

/**
 * An EmbeddedDocumentBinaryObject element with literal content. The attribute part accepts quoted values
 * containing '>' (legal XML) so that a filename like "a>b.pdf" cannot shift the match.
 */
const BINARY_OBJECT = /<((?:[A-Za-z_][\w.-]*:)?EmbeddedDocumentBinaryObject)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*)>([^<]*)<\/\1\s*>/g;

export interface ExtractedText {
  /** The text with every base64 block replaced by a short placeholder. */
  text: string;
  /** The original content of each replaced block, by placeholder number. */
  blocks: string[];
}

/**
 * Performance: an embedded PDF makes a UBL file ~250 KB of which 99 % is one base64 text node. xmldom
 * copies that node through its tokenizer, the DOM and textContent: parsing the UBL.BE test case takes
 * ~1.7 ms with the block and ~0.7 ms without it (measured, Node 20). The blocks are cut out with one regex
 * pass (~0.1 ms) and validated directly as strings (binary-object.ts, ~0.4 ms for 250 KB); the parser sees
 * a document of a few KB. Only literal content is cut out: a block holding character references ('&')
 * stays in place and is read from the DOM instead, so the parser's view of the text never differs from
 * the file's. Line numbers in parser messages shift, which is irrelevant since we never report them.
 */
export function extractBinaryObjects(text: string): ExtractedText {
  const blocks: string[] = [];
  const replaced = text.replace(BINARY_OBJECT, (whole, name: string, attrs: string, content: string) => {
    if (content.includes('&') || content.length < 64) return whole;
    blocks.push(content);
    return `<${name}${attrs}>${PLACEHOLDER_PREFIX}${blocks.length - 1}</${name}>`;
  });
  return { text: replaced, blocks };
}

/** The original content behind an element's text: the extracted block, or the text itself. */
export function restoreBlock(textContent: string, blocks: readonly string[]): string {
  const match = PLACEHOLDER.exec(textContent.trim());
  if (!match) return textContent;
  return blocks[Number(match[1])] ?? textContent;
}
