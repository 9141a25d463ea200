import { divRound, formatCents, parseCents, parseDecimal } from '../core/money.js';
import { formatStructuredCommunication } from '../core/belgian-ids.js';
import type { SandboxCompany } from './data/company.js';
import type { DeletedOrder, SandboxDocument, SandboxFile, SandboxOrder, SandboxTransaction } from './world/model.js';
import type { World } from './world/world.js';

/**
 * Billit's JSON shapes (reference/billit-api.md §4). Amounts are JSON numbers in Billit's API; they
 * are produced from exact decimal strings so no float arithmetic happens on the way.
 */
const amount = (decimal: string): number => Number(decimal);

export function partyView(company: SandboxCompany, partyType: 'Customer' | 'Supplier'): Record<string, unknown> {
  return {
    PartyID: company.partyId, Name: company.name, VATNumber: company.vatNumber, PartyType: partyType,
    Email: company.email, IBAN: company.iban, BIC: company.bic, Language: 'NL',
    Identifiers: [{ IdentifierType: 'CBE', Identifier: company.enterpriseNumber, SchemeID: '0208', Preferred: true }],
    Addresses: [{ AddressType: 'InvoiceAddress', Street: company.street, Zipcode: company.postalCode, City: company.city, CountryCode: company.countryCode }],
  };
}

function fileRef(file: SandboxFile | undefined): Record<string, unknown> | null {
  return file ? { FileID: file.fileId, FileName: file.fileName } : null;
}

/** The summary an order has in list results (GET /v1/orders). */
export function orderSummaryView(world: World, order: SandboxOrder): Record<string, unknown> {
  const plan = order.plan;
  const counterparty = partyView(order.counterparty, order.direction === 'Income' ? 'Customer' : 'Supplier');
  return {
    OrderID: order.orderId, CompanyID: order.companyId, OrderNumber: plan.number, OrderType: order.type,
    OrderDirection: order.direction, OrderDate: order.orderDate, ExpiryDate: `${plan.dueDate}T00:00:00`,
    Created: order.created, LastModified: order.lastModified,
    CounterParty: counterparty, CounterPartyID: order.counterparty.partyId,
    TotalExcl: amount(plan.totals.taxExclusive), TotalVAT: amount(plan.totals.tax), TotalIncl: amount(plan.totals.taxInclusive),
    ToPay: order.paid ? 0 : amount(plan.totals.payable), Currency: 'EUR',
    PaymentReference: plan.paymentReference, Paid: order.paid, PaidDate: order.paidDate,
    OrderStatus: order.paid ? 'Paid' : order.approvalStatus === 'Pending' || order.approvalStatus === 'ToApproveByMe' ? 'ApprovalNeeded' : 'ToPay',
    ApprovalStatus: order.approvalStatus, ExportedToConnector: order.exportedToConnector,
    AccountantVerificationNeeded: order.accountantVerificationNeeded, IsSent: order.isSent, Invoiced: order.invoiced,
    InternalInfo: order.internalInfo, AccountCode: order.accountCode,
    ExternalProvider: order.viaPeppol ? 'Peppol' : null,
    OrderPDF: { FileID: order.pdfFileId },
  };
}

/** The full order (GET /v1/orders/{id}), with lines, VAT groups and files. */
export function orderView(world: World, order: SandboxOrder): Record<string, unknown> {
  const plan = order.plan;
  const customer = partyView(plan.customer, 'Customer');
  const supplier = partyView(plan.supplier, 'Supplier');
  return {
    ...orderSummaryView(world, order),
    Customer: customer, Supplier: supplier,
    CustomerID: plan.customer.partyId, SupplierID: plan.supplier.partyId,
    OrderPDF: fileRef(world.files.get(order.pdfFileId)),
    Attachments: [fileRef(world.files.get(order.ublFileId))],
    OrderLines: plan.lines.map((line) => {
      const excl = parseCents(line.lineExtension);
      const vat = divRound(excl * parseDecimal(line.percent, 2), 10000n);
      return {
        Quantity: amount(line.quantity), UnitPriceExcl: amount(line.price), Description: line.description,
        TotalExcl: amount(line.lineExtension), TotalVAT: amount(formatCents(vat)), TotalIncl: amount(formatCents(excl + vat)),
        VATPercentage: amount(line.percent), Unit: line.unitCode, CustomFields: { PeppolLineID: line.id },
      };
    }),
    VatGroups: plan.vatBreakdown.map((group) => ({
      VATPercentage: amount(group.percent), TotalExcl: amount(group.taxable), TotalVAT: amount(group.tax),
      TotalIncl: amount(formatCents(parseCents(group.taxable) + parseCents(group.tax))), Mtvh: amount(group.taxable), FinancialReductionAmount: 0,
    })),
    Messages: [],
    CurrentDocumentDeliveryDetails: { IsDocumentDelivered: order.viaPeppol || order.isSent },
  };
}

export function deletedOrderView(deleted: DeletedOrder): Record<string, unknown> {
  return {
    OrderID: deleted.orderId, CompanyID: deleted.companyId, OrderNumber: deleted.orderNumber, LastModified: deleted.lastModified,
    OrderDirection: deleted.direction, OrderType: deleted.type,
  };
}

export function fileView(file: SandboxFile, content: string): Record<string, unknown> {
  return { FileID: file.fileId, FileName: file.fileName, MimeType: file.mimeType, FileContent: content };
}

export function documentView(world: World, document: SandboxDocument): Record<string, unknown> {
  const file = world.files.get(document.fileId);
  return {
    DocumentID: document.documentId, CompanyID: document.companyId, Name: document.name, Description: document.description,
    DocumentDate: document.documentDate, CreationDate: document.creationDate, Tags: document.tags,
    File: file ? { FileID: file.fileId, FileName: file.fileName, MimeType: file.mimeType } : null,
  };
}

const isoDate = (date: string): string => `${date}T00:00:00`;

export function transactionView(world: World, transaction: SandboxTransaction): Record<string, unknown> {
  const coda = world.codaFiles.get(transaction.codaFileId)!;
  const movement = coda.statement.movements[transaction.movementIndex]!;
  const company = coda.statement.company;
  const communication = movement.communication;
  return {
    BankAccountTransactionID: transaction.transactionId, BankName: company.bic, IBAN: company.iban, BIC: company.bic,
    BankAccountID: company.partyId, IBANCounterParty: movement.counterpartyIban, BICCounterParty: movement.counterpartyBic,
    NameCounterParty: movement.counterpartyName, TotalAmount: amount(formatCents(movement.amountCents)),
    TransactionType: movement.amountCents < 0n ? 'Debit' : 'Credit', ValueDate: isoDate(movement.valueDate), Currency: 'EUR',
    Description: communication.structured ? formatStructuredCommunication(communication.digits12) : communication.text,
    CodaSource: 'Billbank', CodaFileID: transaction.codaFileId, BankReference: movement.bankReference.trim(),
    BankTransactionCode: movement.transactionCode,
  };
}

export function accountInformationView(world: World): Record<string, unknown> {
  const companies = [...world.dossiers.values()].map((company) => ({
    PartyID: company.partyId, Name: company.name, CommercialName: company.name, VATNumber: company.vatNumber,
    PeppolIdentifier: `0208:${company.enterpriseNumber}`, APIAllowed: true, Role: 'Accountant',
    AccountantCode: String(world.accountant.partyId),
    Addresses: [{ AddressType: 'InvoiceAddress', Street: company.street, Zipcode: company.postalCode, City: company.city, CountryCode: 'BE' }],
    BankAccounts: [{ IBAN: company.iban, BIC: company.bic, Name: company.name, Active: true }],
  }));
  return {
    Email: world.accountant.email, FirstName: 'Sandbox', LastName: 'Accountant', PartyID: world.accountant.partyId,
    Companies: companies,
    UserCompanyRoles: companies.map((company) => ({ PartyID: company.PartyID, UserRoleTypes: ['Accountant'] })),
  };
}
