/**
 * A minimal tag scanner that reports where elements start and end in the original text. The DOM cannot
 * say that (xmldom's line/column are after line-ending normalisation), and embedPdf must insert text at an
 * exact offset while leaving every other byte alone. Only for documents the DOM parser already accepted.
 */

export interface ScannedElement {
  qname: string;
  localName: string;
  /** Offset of '<' of the start tag. */
  start: number;
  /** Offset just after the start tag's '>'. */
  startTagEnd: number;
  /** Offset just after the end tag's '>' (or the empty-element tag's). */
  end: number;
  depth: number;
  /** Index of the parent in the result, −1 for the root. */
  parent: number;
  /** The start tag's attribute text. */
  attributes: string;
}

/** Attribute values may contain '>' and '/', so they are matched as whole quoted strings. */
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;

function skipPast(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) throw new SyntaxError(`unterminated markup at offset ${from}`);
  return at + terminator.length;
}

/** Elements down to `maxDepth` (0 = root), in document order. */
export function scanElements(text: string, maxDepth: number): ScannedElement[] {
  const elements: ScannedElement[] = [];
  const stack: number[] = [];
  let at = text.indexOf('<');
  while (at >= 0) {
    let next: number;
    if (text.startsWith('<!--', at)) next = skipPast(text, at + 4, '-->');
    else if (text.startsWith('<![CDATA[', at)) next = skipPast(text, at + 9, ']]>');
    else if (text.startsWith('<?', at)) next = skipPast(text, at + 2, '?>');
    else if (text.startsWith('</', at)) {
      next = skipPast(text, at + 2, '>');
      const index = stack.pop();
      if (index === undefined) throw new SyntaxError(`unexpected end tag at offset ${at}`);
      if (index >= 0) elements[index]!.end = next;
    } else {
      START_TAG.lastIndex = at;
      const match = START_TAG.exec(text);
      if (!match) throw new SyntaxError(`cannot read the tag at offset ${at}`);
      next = START_TAG.lastIndex;
      const depth = stack.length;
      let index = -1;
      if (depth <= maxDepth) {
        const qname = match[1]!;
        index = elements.length;
        elements.push({
          qname, localName: qname.slice(qname.indexOf(':') + 1), start: at, startTagEnd: next, end: next, depth,
          parent: depth === 0 ? -1 : stack[stack.length - 1]!, attributes: match[2] ?? '',
        });
      }
      if (match[3] !== '/') stack.push(index);
    }
    at = text.indexOf('<', next);
  }
  return elements;
}

/** Namespace declarations of a start tag: prefix ('' for the default namespace) → URI. */
export function namespaceDeclarations(attributes: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of attributes.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out.set(match[1] ?? '', match[2] ?? match[3] ?? '');
  }
  return out;
}
