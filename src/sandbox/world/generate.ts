import { addDays, brusselsDate, toBrusselsLocal, fromBrusselsLocal } from '../../core/brussels-time.js';
import type { ApprovalStatus } from '../../core/approval-status.js';
import { generateCompany, type SandboxCompany } from '../data/company.js';
import { planCodaStatements } from '../data/coda-plan.js';
import { planInvoice } from '../data/invoice-plan.js';
import { hostileName } from '../data/hostile-names.js';
import type { Random } from '../data/random.js';
import { registerCodaFile, registerDocumentFile, registerOrderFiles } from './files.js';
import type { SandboxOrder } from './model.js';
import { World } from './world.js';
import type { WorldOptions } from './options.js';
import type { SandboxClock } from '../clock.js';

const DOCUMENT_NAMES = ['Huurcontract', 'Verzekeringspolis', 'Leasingcontract', 'Aanslagbiljet', 'Loonfiche',
  'Bankattest', 'Contrat de bail', 'Offerte', 'Kasticket', 'Afrekening energie'];

/** Builds the initial world from its options. Same options, same world, byte for byte. */
export function generateWorld(options: WorldOptions, clock?: SandboxClock): World {
  const world = new World(options, clock);
  const rnd = world.rnd.fork('world');
  world.accountant = { ...generateCompany(rnd.fork('accountant'), 100_000 + rnd.int(1, 89_999)), name: `Accountantskantoor ${generateCompany(rnd.fork('accountant-name'), 0).name.split(' ')[1] ?? 'Peeters'}` };
  world.apiKey = options.apiKey ?? `sbx-${rnd.fork('api-key').uuid().replace(/-/g, '')}`;
  const anchorDate = brusselsDate(new Date(options.anchor.getTime() - 1));
  for (let i = 0; i < options.dossiers; i++) {
    const dossierRnd = rnd.fork(`dossier:${i}`);
    const generated = generateCompany(dossierRnd, 200_000 + i * 17 + dossierRnd.int(0, 16));
    const company = options.hostileNames ? { ...generated, name: hostileName(i) } : generated;
    world.dossiers.set(company.partyId, company);
    const counterparties = Array.from({ length: 8 }, (_, k) => {
      const counterparty = generateCompany(dossierRnd.fork(`cp:${k}`), 600_000 + i * 100 + k);
      return options.hostileNames ? { ...counterparty, name: hostileName(i * 8 + k + 7) } : counterparty;
    });
    world.counterparties.set(company.partyId, counterparties);
    for (let k = 0; k < options.docsPerDossier; k++) {
      const orderDate = addDays(anchorDate, -dossierRnd.int(0, 95));
      addGeneratedOrder(world, company, dossierRnd, orderDate, null);
    }
    for (let k = 0; k < (options.otherDocsPerDossier ?? 0); k++) {
      addGeneratedDocument(world, company, dossierRnd, addDays(anchorDate, -dossierRnd.int(0, 95)));
    }
    if (options.codaDays > 0) {
      const statements = planCodaStatements(dossierRnd.fork('coda'), company, {
        fromDate: addDays(anchorDate, -options.codaDays + 1),
        toDate: anchorDate,
        openingBalanceCents: BigInt(dossierRnd.int(100_000, 5_000_000)),
        counterparties,
      });
      statements.forEach((statement, index) => {
        const codaFileId = dossierRnd.fork(`coda-file:${index}`).uuid();
        const coda = { codaFileId, companyId: company.partyId, statement, fileName: `${company.iban}_${statement.newBalanceDate}_${String(statement.sequence).padStart(3, '0')}.cod` };
        world.codaFiles.set(codaFileId, coda);
        registerCodaFile(world, coda);
        statement.movements.forEach((_, movementIndex) => {
          world.transactions.push({ transactionId: world.nextTransactionId++, companyId: company.partyId, codaFileId, statementIndex: index, movementIndex });
        });
      });
    }
  }
  return world;
}

/** Business hours on the document date, in Brussels, as a Billit timestamp. */
function createdOn(rnd: Random, date: string): string {
  const hour = rnd.int(8, 18);
  const minute = rnd.int(0, 59);
  const second = rnd.int(0, 59);
  const local = `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.${String(rnd.int(0, 999)).padStart(3, '0')}`;
  return toBrusselsLocal(fromBrusselsLocal(local)!);
}

function drawApproval(rnd: Random, direction: 'Income' | 'Cost'): ApprovalStatus | null {
  const roll = rnd.next();
  if (direction === 'Income') return roll < 0.7 ? null : 'Approved';
  if (roll < 0.5) return 'Approved';
  if (roll < 0.75) return 'Pending';
  if (roll < 0.85) return 'ToApproveByMe';
  if (roll < 0.9) return 'Rejected';
  return null;
}

/**
 * Adds one invoice or credit note of `company`. `createdAt` null means "during the business day of
 * the document date" (history); otherwise the order is created at that Billit timestamp (now).
 */
export function addGeneratedOrder(world: World, company: SandboxCompany, rnd: Random, orderDate: string, createdAt: string | null,
  overrides: Partial<Pick<SandboxOrder, 'direction' | 'type' | 'approvalStatus'>> = {}): SandboxOrder {
  const orderId = world.nextOrderId++;
  const seedLabel = `order:${orderId}`;
  const orderRnd = world.rnd.fork(seedLabel);
  const direction = overrides.direction ?? (rnd.chance(0.55) ? 'Cost' : 'Income');
  const type = overrides.type ?? (rnd.chance(0.15) ? 'CreditNote' : 'Invoice');
  const counterparty = rnd.pick(world.counterparties.get(company.partyId) ?? [world.accountant]);
  const supplier = direction === 'Income' ? company : counterparty;
  const customer = direction === 'Income' ? counterparty : company;
  const year = orderDate.slice(0, 4);
  // orderDate may carry a time of day ("2026-10-31T23:30:00"), as Billit's OrderDate can.
  const number = world.options.hostileNames ? hostileName(orderId) || `F${orderId}` : direction === 'Income'
    ? `${type === 'CreditNote' ? 'CN' : 'F'}${year}-${String(orderId % 100_000).padStart(5, '0')}`
    : `${orderRnd.pick(['INV', 'FA', 'F', 'VF'])}-${orderRnd.digits(6)}`;
  const issueDate = orderDate.slice(0, 10);
  const plan = planInvoice(orderRnd, {
    kind: type, number, issueDate, dueDate: addDays(issueDate, 30), supplier, customer,
    ...(type === 'CreditNote' ? { precedingInvoiceNumber: `${number.replace(/^CN/, 'F')}-ORG` } : {}),
  });
  const created = createdAt ?? createdOn(rnd, issueDate);
  const viaPeppol = direction === 'Cost' && rnd.chance(0.8);
  const order: SandboxOrder = {
    orderId, companyId: company.partyId, direction, type, counterparty, plan, created,
    orderDate: orderDate.length > 10 ? orderDate : `${orderDate}T00:00:00`,
    lastModified: created,
    approvalStatus: overrides.approvalStatus === undefined ? drawApproval(rnd, direction) : overrides.approvalStatus,
    exportedToConnector: false, locked: false, paid: false, paidDate: null, isSent: direction === 'Income', invoiced: false,
    internalInfo: null, accountCode: null, accountantVerificationNeeded: false,
    viaPeppol, embedPdf: rnd.chance(0.5), ublFileId: orderRnd.uuid(), pdfFileId: orderRnd.uuid(), seedLabel,
  };
  world.addOrder(order);
  registerOrderFiles(world, order);
  return order;
}

export function addGeneratedDocument(world: World, company: SandboxCompany, rnd: Random, date: string): void {
  const documentId = world.nextDocumentId++;
  const name = world.options.hostileNames ? hostileName(documentId) : `${rnd.pick(DOCUMENT_NAMES)} ${date}`;
  const document = {
    documentId, companyId: company.partyId, name, description: `${name} — ${company.name}`, documentDate: `${date}T00:00:00`,
    creationDate: createdOn(rnd, date), tags: [], fileId: world.rnd.fork(`document:${documentId}`).uuid(),
  };
  world.documents.set(documentId, document);
  registerDocumentFile(world, document);
}
