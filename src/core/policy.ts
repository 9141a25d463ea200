/**
 * When documents flow to Venice, per dossier (product.md §5; the seed's "Standaard dossierinstellingen").
 */
export const FREQUENCIES = ['never', 'last-month', 'after-10-minutes'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Policy {
  /** never: only manual exports; last-month: the last full calendar month; after-10-minutes: 10 minutes after creation. */
  frequency: Frequency;
  /** Only documents the entrepreneur approved. */
  requireApproval: boolean;
  /** Mark exported documents in Billit, which then refuses changes to them. */
  lockAfterExport: boolean;
  /** Day of the month the monthly run happens (1–28). */
  lastMonthDay: number;
  /** Time of the monthly run, HH:MM, Brussels. */
  lastMonthTime: string;
  /** Documents dated before this (YYYY-MM-DD) are never exported automatically. */
  exportFrom: string | null;
}

export const DEFAULT_POLICY: Policy = {
  frequency: 'last-month',
  requireApproval: false,
  lockAfterExport: true,
  lastMonthDay: 1,
  lastMonthTime: '06:00',
  exportFrom: null,
};

/** How long after creation an `after-10-minutes` document becomes due. */
export const AFTER_CREATION_DELAY_MS = 10 * 60 * 1000;
