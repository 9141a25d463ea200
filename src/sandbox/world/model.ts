import type { ApprovalStatus } from '../../core/approval-status.js';
import type { SandboxCompany } from '../data/company.js';
import type { CodaStatementPlan } from '../data/coda-plan.js';
import type { InvoicePlan } from '../data/invoice-plan.js';

/** An order (invoice or credit note) as the sandbox keeps it; rendered into Billit's JSON by views.ts. */
export interface SandboxOrder {
  orderId: number;
  companyId: number;
  direction: 'Income' | 'Cost';
  type: 'Invoice' | 'CreditNote';
  counterparty: SandboxCompany;
  plan: InvoicePlan;
  /** Billit's OrderDate, "YYYY-MM-DDT00:00:00" unless a control set a time of day. */
  orderDate: string;
  /** Brussels local timestamps, as Billit writes them. */
  created: string;
  lastModified: string;
  approvalStatus: ApprovalStatus | null;
  exportedToConnector: boolean;
  /** Set by a lock after export: Billit then refuses content changes. */
  locked: boolean;
  paid: boolean;
  paidDate: string | null;
  isSent: boolean;
  invoiced: boolean;
  internalInfo: string | null;
  accountCode: string | null;
  accountantVerificationNeeded: boolean;
  /** Received over Peppol: the UBL attachment is served inside an SBDH envelope. */
  viaPeppol: boolean;
  embedPdf: boolean;
  ublFileId: string;
  pdfFileId: string;
  /** A seed label so the file bytes are regenerated identically on every request. */
  seedLabel: string;
  /** Set by /_sandbox/orders/{id}/damage: the UBL Billit serves breaks EN 16931 (PayableAmount off by 10.00). */
  ublDamaged?: boolean;
}

export interface DeletedOrder { orderId: number; companyId: number; lastModified: string; orderNumber: string; direction: 'Income' | 'Cost'; type: 'Invoice' | 'CreditNote'; }

export interface SandboxDocument {
  documentId: number;
  companyId: number;
  name: string;
  description: string;
  documentDate: string;
  creationDate: string;
  tags: string[];
  fileId: string;
}

export interface SandboxCodaFile {
  codaFileId: string;
  companyId: number;
  statement: CodaStatementPlan;
  fileName: string;
}

export interface SandboxTransaction {
  transactionId: number;
  companyId: number;
  codaFileId: string;
  statementIndex: number;
  movementIndex: number;
}

/** A file behind GET /v1/files/{id}: bytes are produced on demand so large worlds stay small in memory. */
export interface SandboxFile {
  fileId: string;
  companyId: number;
  fileName: string;
  mimeType: string;
  produce: () => Buffer;
}

export interface FeedItem { feedItemId: number; entityId: number; entityType: 'Order' | 'Document'; partyId: number; }

export interface Upload { uploadId: number; companyId: number; fileName: string; mimeType: string; bytes: Buffer; receivedAt: string; idempotencyKey: string | null; }
