/**
 * Billit's order approval states (docs.billit.be "types", section Order Approval states), mapped in
 * this one place so that agent and sandbox follow Billit together if production uses other values.
 * An order without an approval flow has an empty or null ApprovalStatus.
 */
export const APPROVAL_STATUSES = ['Pending', 'Approved', 'Rejected', 'ToApproveByMe'] as const;

export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** The value that means "the entrepreneur approved this document for the accountant". */
export const APPROVED: ApprovalStatus = 'Approved';

/** States that mean a decision is still waiting (shown as "approvals waiting"). */
export const AWAITING_APPROVAL: readonly ApprovalStatus[] = ['Pending', 'ToApproveByMe'];

export function isApprovalStatus(value: unknown): value is ApprovalStatus {
  return typeof value === 'string' && (APPROVAL_STATUSES as readonly string[]).includes(value);
}

/** Whether Billit's value says Approved, in whatever letter case its serialiser used. */
export function isApproved(status: string | null | undefined): boolean {
  return status?.trim().toLowerCase() === APPROVED.toLowerCase();
}

/**
 * Whether a document may be exported under the dossier's approval rule. Without the rule every
 * document may go, except one the entrepreneur explicitly rejected.
 */
export function isExportableApproval(status: string | null | undefined, requireApproval: boolean): boolean {
  if (requireApproval) return isApproved(status);
  return status?.trim().toLowerCase() !== 'rejected';
}
