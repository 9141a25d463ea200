import { DOMParser } from '@xmldom/xmldom';
import type { Element, Node } from '@xmldom/xmldom';

/** Namespace-aware DOM helpers. Elements are matched by namespace URI + local name, never by prefix. */

export const UBL_NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

const ELEMENT_NODE = 1;

export type ParseOutcome = { root: Element } | { error: string };

/** Markup whose content may legally hold a bare '&': CDATA sections, comments, processing instructions. */
const FREE_TEXT_MARKS: ReadonlyArray<readonly [string, string]> = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>']];

/**
 * The text without CDATA sections, comments and processing instructions, where '&' and the like are
 * allowed. A linear scan: a regular expression backtracks quadratically over many unterminated
 * openers, which a hostile file can supply.
 */
function withoutFreeText(text: string): string {
  // Next occurrence of each opener, searched again only once the scan has passed it.
  const next = FREE_TEXT_MARKS.map(([open]) => text.indexOf(open));
  let out = '';
  let at = 0;
  for (;;) {
    let pick = -1;
    for (let i = 0; i < FREE_TEXT_MARKS.length; i++) {
      if (next[i]! !== -1 && next[i]! < at) next[i] = text.indexOf(FREE_TEXT_MARKS[i]![0], at);
      if (next[i]! !== -1 && (pick === -1 || next[i]! < next[pick]!)) pick = i;
    }
    if (pick === -1) return out + text.slice(at);
    const start = next[pick]!;
    out += text.slice(at, start);
    const end = text.indexOf(FREE_TEXT_MARKS[pick]![1], start + FREE_TEXT_MARKS[pick]![0].length);
    if (end === -1) return out;
    at = end + FREE_TEXT_MARKS[pick]![1].length;
  }
}
/** A '&' that starts no entity or character reference, or a character XML 1.0 forbids. */
const NOT_XML = /&(?![A-Za-z_][\w.-]*;|#\d+;|#x[\dA-Fa-f]+;)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * xmldom also turns `&#0;` and `&#xD800;` into characters silently and accepts "]]>" in text: both are
 * well-formedness errors (XML 1.0 WFC Legal Character, §2.4). Tags are matched so that "]]>" inside an
 * attribute value, where it is legal, is skipped.
 */
function illegalCharacterReference(text: string): RegExpExecArray | null {
  const references = /&#(?:x([\dA-Fa-f]+)|(\d+));/g;
  for (let match = references.exec(text); match; match = references.exec(text)) {
    const cp = match[1] !== undefined ? parseInt(match[1], 16) : Number(match[2]);
    if (!(cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff))) return match;
  }
  return null;
}
function cdataEndInContent(text: string): RegExpExecArray | null {
  const pattern = /<[^>]*>|\]\]>/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) if (match[0] === ']]>') return match;
  return null;
}

/**
 * Parses XML text. xmldom is lenient where the parsers of Venice and of Peppol access points are not: it
 * accepts a bare '&' and control characters silently and reports unquoted or valueless attributes as mere
 * warnings. All of those are well-formedness errors, so any message from xmldom, whatever its level, and
 * the lexical checks here make the document malformed.
 */
/**
 * xmldom matches a comment with one regular expression that overflows the stack past ~8 MB. Large
 * comments are handed to it emptied; one that is not well-formed ("--" inside) is left for it to report.
 */
function emptyLargeComments(text: string): string {
  if (text.length < 4 * 1024 * 1024) return text;
  let out = '';
  let at = 0;
  for (let open = text.indexOf('<!--'); open >= 0; open = text.indexOf('<!--', at)) {
    const close = text.indexOf('-->', open + 4);
    if (close < 0) break;
    const body = text.slice(open + 4, close);
    const keep = body.length < 1024 * 1024 || body.includes('--') || body.endsWith('-');
    out += text.slice(at, open) + (keep ? `<!--${body}-->` : '<!---->');
    at = close + 3;
  }
  return out + text.slice(at);
}

export function parseXml(text: string): ParseOutcome {
  const markup = text.includes('<!') || text.includes('<?') ? withoutFreeText(text) : text;
  const lexical = NOT_XML.exec(markup) ?? illegalCharacterReference(markup) ?? (markup.includes(']]>') ? cdataEndInContent(markup) : null);
  if (lexical) {
    const what = lexical[0] === '&' ? 'an unescaped "&"'
      : lexical[0].startsWith('&#') ? `the character reference ${lexical[0]}, which names a character XML 1.0 does not allow,`
        : lexical[0] === ']]>' ? 'the sequence "]]>" outside a CDATA section'
          : `the character U+${lexical[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}, which XML 1.0 does not allow,`;
    return { error: `${what} near ${JSON.stringify(lexical.input.slice(Math.max(0, lexical.index - 20), lexical.index + 20))}` };
  }
  const errors: string[] = [];
  try {
    const doc = new DOMParser({
      // Positions are never reported (the base64 placeholders shift them anyway), so skip the bookkeeping.
      locator: false,
      onError: (level, message) => {
        // U+FFFD is legal XML (a name mangled upstream); xmldom only warns about it, and Venice accepts it.
        if (level === 'warning' && /replacement character/i.test(message)) return;
        // Capped: xmldom lists every unclosed tag, 300,000 characters for a hostile file.
        const line = message.split('\n')[0] ?? message;
        errors.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
        // The first message decides. xmldom would go on and report every later '<' of a hostile file: 20 MB
        // of them took minutes and 4 GB. Throwing from onError stops it (as a ParseError).
        throw new Error('stop parsing');
      },
    }).parseFromString(emptyLargeComments(text), 'application/xml');
    const root = doc.documentElement;
    if (errors.length > 0 || !root) return { error: errors[0] ?? 'no root element' };
    return { root };
  } catch (error) {
    return { error: errors[0] ?? (error as Error).message.split('\n')[0] ?? 'parse error' };
  }
}

export function isElement(node: Node | null): node is Element {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

export function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let node = el.firstChild; node; node = node.nextSibling) if (isElement(node)) out.push(node);
  return out;
}

/** Direct children in namespace `ns` named `local`. */
export function kids(el: Element | undefined, ns: string, local: string): Element[] {
  if (!el) return [];
  const out: Element[] = [];
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.localName === local && node.namespaceURI === ns) out.push(node);
  }
  return out;
}

export function kid(el: Element | undefined, ns: string, local: string): Element | undefined {
  if (!el) return undefined;
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.localName === local && node.namespaceURI === ns) return node;
  }
  return undefined;
}

/** Follows a path of cac steps: cacPath(root, 'AccountingSupplierParty', 'Party'). */
export function cacPath(el: Element | undefined, ...steps: string[]): Element | undefined {
  let current = el;
  for (const step of steps) current = kid(current, UBL_NS.cac, step);
  return current;
}

export const cbc = (el: Element | undefined, local: string): Element | undefined => kid(el, UBL_NS.cbc, local);

export function textOf(el: Element | undefined): string | null {
  return el ? (el.textContent ?? '').trim() : null;
}

/** Trimmed text of a cbc child; null when absent, '' when present but empty. */
export function cbcText(el: Element | undefined, local: string): string | null {
  return textOf(cbc(el, local));
}

export function nonEmpty(value: string | null): value is string {
  return value !== null && value !== '';
}

const PREFIX: Record<string, string> = { [UBL_NS.cac]: 'cac:', [UBL_NS.cbc]: 'cbc:' };

/**
 * An XPath-like location with the conventional cac/cbc prefixes whatever the document uses, and a
 * 1-based position where siblings share the name: /Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount.
 */
/**
 * Position of an element among its same-named siblings, cached per parent: paths are built for
 * every line of an invoice, and recounting the siblings each time made 10,000-line invoices take
 * seconds (quadratic).
 */
const siblings = new WeakMap<Element, Map<string, Map<Element, number>>>();
function siblingIndex(parent: Element, el: Element): { count: number; index: number } {
  let byName = siblings.get(parent);
  if (!byName) {
    byName = new Map();
    siblings.set(parent, byName);
  }
  const key = `${el.namespaceURI ?? ''} ${el.localName ?? ''}`;
  let positions = byName.get(key);
  if (!positions) {
    positions = new Map(kids(parent, el.namespaceURI ?? '', el.localName ?? '').map((sibling, i) => [sibling, i] as const));
    byName.set(key, positions);
  }
  return { count: positions.size, index: positions.get(el) ?? 0 };
}

export function pathOf(el: Element): string {
  const steps: string[] = [];
  let current: Element | null = el;
  while (current) {
    const parent: Node | null = current.parentNode;
    const name = `${PREFIX[current.namespaceURI ?? ''] ?? ''}${current.localName}`;
    // The UBL root ends the path even inside an SBDH envelope: locations describe the document Venice gets.
    const isUblRoot = current.namespaceURI === UBL_NS.Invoice || current.namespaceURI === UBL_NS.CreditNote;
    if (isElement(parent) && !isUblRoot) {
      const { count, index } = siblingIndex(parent, current);
      steps.push(count > 1 ? `${name}[${index + 1}]` : name);
      current = parent;
    } else {
      steps.push(name);
      current = null;
    }
  }
  return `/${steps.reverse().join('/')}`;
}

/** Path of a child that is missing: the parent's path plus the expected step. */
export function pathBelow(parent: Element | undefined, step: string): string {
  return parent ? `${pathOf(parent)}/${step}` : step;
}
