import type { DocumentKind, DocumentSource, DocumentState } from '../core/document-kind.js';

/** One row of `documents`, as the repositories hand it out. */
export interface DocumentRow {
  id: number;
  source: DocumentSource;
  billitId: string;
  dossierPartyId: number;
  kind: DocumentKind;
  state: DocumentState;
  title: string | null;
  billitLastModified: string | null;
  /** sha256 of the bytes placed for Venice. */
  sha256: string | null;
  /** sha256 of the bytes Billit served, before the SBDH envelope was removed. */
  originalSha256: string | null;
  stagedPath: string | null;
  targetPath: string | null;
  finalPath: string | null;
  /** Failures since the document last moved forward; reset by every forward transition. */
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  placedAt: string | null;
  acknowledgedAt: string | null;
  /** Billit's ApprovalStatus when billsync last listed the order (null: no approval flow). */
  approvalStatus: string | null;
  /** When billsync learned that the order was deleted in Billit (its file stays). */
  deletedInBillitAt: string | null;
}

export interface SeenInput {
  source: DocumentSource;
  billitId: string;
  dossierPartyId: number;
  kind: DocumentKind;
  title?: string | null;
  billitLastModified?: string | null;
}

export interface DocumentCount {
  dossierPartyId: number;
  state: DocumentState;
  kind: DocumentKind;
  count: number;
}

/** The select list that maps a documents row onto DocumentRow. */
export const DOCUMENT_COLUMNS = `id, source, billit_id AS billitId, dossier_party_id AS dossierPartyId, kind, state, title,
  billit_last_modified AS billitLastModified, sha256, original_sha256 AS originalSha256,
  staged_path AS stagedPath, target_path AS targetPath, final_path AS finalPath, attempts,
  last_error AS lastError, created_at AS createdAt, updated_at AS updatedAt, placed_at AS placedAt,
  acknowledged_at AS acknowledgedAt, approval_status AS approvalStatus, deleted_in_billit_at AS deletedInBillitAt`;
