import { BIS3_CUSTOMIZATION_ID, BIS3_PROFILE_ID, UBL_NAMESPACES, escapeXml } from './ubl-render.js';

/**
 * Wraps a UBL document in the Peppol Standard Business Document Header, the way Billit's inbox files arrive
 * (GET /v1/files/{FileID}). The sandbox serves such files so that the agent's unwrapping is exercised; the
 * agent must hand Venice the bare UBL, which validates only against the plain UBL schema.
 */

export const SBDH_NAMESPACE = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
/** Participant identifiers are ISO 6523 values ("0208:0123456749") under this authority. */
const PARTICIPANT_AUTHORITY = 'iso6523-actorid-upis';

export interface SbdhInput {
  /** Like '0208:0123456749'. */
  senderId: string;
  receiverId: string;
  /** SBDH InstanceIdentifier (a UUID in practice). */
  documentId: string;
  /** ISO timestamp, passed in so that output stays deterministic. */
  createdAt: string;
  kind: 'Invoice' | 'CreditNote';
}

/** The Peppol document type identifier: root namespace::local name##customization::UBL version. */
export function peppolDocumentTypeId(kind: 'Invoice' | 'CreditNote'): string {
  return `${UBL_NAMESPACES[kind]}::${kind}##${BIS3_CUSTOMIZATION_ID}::2.1`;
}

/** Drops a BOM and the XML declaration: the UBL element becomes a child, and a declaration may only start a document. */
function stripDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^?]*\?>\s*/, '').trimEnd();
}

export function wrapInSbdh(ubl: Buffer, input: SbdhInput): Buffer {
  const payload = stripDeclaration(ubl.toString('utf8'));
  const esc = escapeXml;
  const scope = (type: string, instance: string, identifier?: string): string[] => [
    '      <Scope>',
    `        <Type>${esc(type)}</Type>`,
    `        <InstanceIdentifier>${esc(instance)}</InstanceIdentifier>`,
    ...(identifier === undefined ? [] : [`        <Identifier>${esc(identifier)}</Identifier>`]),
    '      </Scope>',
  ];
  const header = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<StandardBusinessDocument xmlns="${SBDH_NAMESPACE}">`,
    '  <StandardBusinessDocumentHeader>',
    '    <HeaderVersion>1.0</HeaderVersion>',
    '    <Sender>',
    `      <Identifier Authority="${PARTICIPANT_AUTHORITY}">${esc(input.senderId)}</Identifier>`,
    '    </Sender>',
    '    <Receiver>',
    `      <Identifier Authority="${PARTICIPANT_AUTHORITY}">${esc(input.receiverId)}</Identifier>`,
    '    </Receiver>',
    '    <DocumentIdentification>',
    `      <Standard>${UBL_NAMESPACES[input.kind]}</Standard>`,
    '      <TypeVersion>2.1</TypeVersion>',
    `      <InstanceIdentifier>${esc(input.documentId)}</InstanceIdentifier>`,
    `      <Type>${input.kind}</Type>`,
    `      <CreationDateAndTime>${esc(input.createdAt)}</CreationDateAndTime>`,
    '    </DocumentIdentification>',
    '    <BusinessScope>',
    ...scope('DOCUMENTID', peppolDocumentTypeId(input.kind), 'busdox-docid-qns'),
    ...scope('PROCESSID', BIS3_PROFILE_ID, 'cenbii-procid-ubl'),
    // Peppol Envelope 2.0 also requires the country of the sending end user (C1); sandbox parties are Belgian.
    ...scope('COUNTRY_C1', 'BE'),
    '    </BusinessScope>',
    '  </StandardBusinessDocumentHeader>',
  ];
  return Buffer.from(`${header.join('\n')}\n${payload}\n</StandardBusinessDocument>\n`, 'utf8');
}
