import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';

/**
 * Peppol delivers UBL inside a StandardBusinessDocument (SBDH) envelope; Venice wants the bare
 * Invoice/CreditNote. The payload is cut out of the original text, so its bytes are exactly the ones
 * the sender signed off; only when the payload relies on namespace declarations of the envelope is it
 * re-serialised with those declarations.
 */

export const SBDH_NS = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';

export interface SbdhEnvelope {
  sender: string | null;
  receiver: string | null;
  instanceIdentifier: string | null;
  documentType: string | null;
}

export type UnwrapResult =
  | { wrapped: false; document: Buffer }
  | { wrapped: true; document: Buffer; envelope: SbdhEnvelope };

export class SbdhError extends Error {
  override readonly name = 'SbdhError';
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function parse(text: string): Element {
  const errors: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => { if (level !== 'warning') errors.push(message); },
    }).parseFromString(text, 'application/xml');
  } catch (error) {
    throw new SbdhError(`not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (errors.length > 0 || !root) throw new SbdhError(`not well-formed XML: ${errors[0] ?? 'no root element'}`);
  return root;
}

function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

function textOf(root: Element, localName: string): string | null {
  const found = root.getElementsByTagNameNS(SBDH_NS, localName)[0];
  const value = found?.textContent?.trim();
  return value ? value : null;
}

/** Returns the bare UBL document; input that is not an SBDH envelope is returned unchanged. */
export function unwrapSbdh(bytes: Buffer): UnwrapResult {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const root = parse(text);
  if (root.localName !== 'StandardBusinessDocument' || root.namespaceURI !== SBDH_NS) return { wrapped: false, document: bytes };
  const payloads = childElements(root).filter((el) => !(el.localName === 'StandardBusinessDocumentHeader' && el.namespaceURI === SBDH_NS));
  if (payloads.length !== 1) throw new SbdhError(`the SBDH envelope holds ${payloads.length} documents; expected exactly one`);
  const payload = payloads[0]!;
  const envelope: SbdhEnvelope = {
    sender: textOf(root, 'Sender') ?? null,
    receiver: textOf(root, 'Receiver') ?? null,
    instanceIdentifier: textOf(root, 'InstanceIdentifier'),
    documentType: textOf(root, 'Type'),
  };
  const sliced = slicePayload(text, payload.localName ?? '');
  if (sliced !== null) {
    try {
      const standalone = parse(sliced);
      if (standalone.namespaceURI === payload.namespaceURI && standalone.localName === payload.localName) {
        return { wrapped: true, document: Buffer.from(`${XML_DECLARATION}${sliced}\n`, 'utf8'), envelope };
      }
    } catch { /* fall through to re-serialisation */ }
  }
  const serialised = new XMLSerializer().serializeToString(payload);
  return { wrapped: true, document: Buffer.from(`${XML_DECLARATION}${serialised}\n`, 'utf8'), envelope };
}

/** The exact text of the payload element: from its start tag after the header to its end tag. */
function slicePayload(text: string, localName: string): string | null {
  const headerEnd = /<\/(?:[\w.-]+:)?StandardBusinessDocumentHeader\s*>/.exec(text);
  if (!headerEnd) return null;
  const startPattern = new RegExp(`<((?:[\\w.-]+:)?${localName})[\\s>/]`, 'g');
  startPattern.lastIndex = headerEnd.index + headerEnd[0].length;
  const start = startPattern.exec(text);
  if (!start) return null;
  const qualified = start[1]!;
  const endTag = `</${qualified}>`;
  const end = text.lastIndexOf(endTag);
  if (end < start.index) return null;
  return text.slice(start.index, end + endTag.length);
}
