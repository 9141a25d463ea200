import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The flat figures of results/latest.json; every one a number. */
export interface Figures {
  throughputRatio: number;
  cpuMsPerDocument: number;
  requestsPerDocumentFeed: number;
  requestsPerDocumentDirect: number;
  noChangeSyncRequests: number;
  rateUtilisation: number;
  share429: number;
  peakRssMb: number;
  idleRssMb: number;
  ledgerLookupMsMedian: number;
  // Beside the figures: what they are made of.
  throughputDocsPerSecond: number;
  rawDocsPerSecond: number;
  throughputMbPerSecond: number;
  rawMbPerSecond: number;
  noChangeSyncRequestsAfterMoreExported: number;
  ledgerLookupMsP95: number;
}

interface Goal {
  /** As written in the table and in `goals` of the JSON. */
  text: string;
  met: (figures: Figures) => boolean;
}

export const GOALS: Partial<Record<keyof Figures, Goal>> = {
  throughputRatio: { text: '≥ 0.8', met: (f) => f.throughputRatio >= 0.8 },
  requestsPerDocumentFeed: { text: '≤ 2.1', met: (f) => f.requestsPerDocumentFeed <= 2.1 },
  requestsPerDocumentDirect: { text: '≤ 3.1', met: (f) => f.requestsPerDocumentDirect <= 3.1 },
  noChangeSyncRequests: { text: 'does not grow with documents exported', met: (f) => f.noChangeSyncRequestsAfterMoreExported <= f.noChangeSyncRequests },
  noChangeSyncRequestsAfterMoreExported: { text: '≤ noChangeSyncRequests', met: (f) => f.noChangeSyncRequestsAfterMoreExported <= f.noChangeSyncRequests },
  rateUtilisation: { text: '≥ 0.9', met: (f) => f.rateUtilisation >= 0.9 },
  share429: { text: '< 0.01', met: (f) => f.share429 < 0.01 },
  peakRssMb: { text: '< 200', met: (f) => f.peakRssMb < 200 },
  idleRssMb: { text: '< 150 (bench:idle\'s goal)', met: (f) => f.idleRssMb < 150 },
  ledgerLookupMsMedian: { text: '< 1', met: (f) => f.ledgerLookupMsMedian < 1 },
};

export interface Report {
  figures: Figures;
  /** Per figure: the size it was measured at, in words. */
  measuredAt: Record<keyof Figures, string>;
  sizes: Record<string, unknown>;
  /** Per missed goal: what limits it, from this run's own numbers. */
  limits: Partial<Record<keyof Figures, string>>;
  details: Record<string, unknown>;
  mode: string;
  wallSeconds: number;
}

const round = (value: number): number => (Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Number(value.toPrecision(4)));

/** Writes results/latest.json and results/latest.md; returns the Markdown (also printed). */
export function writeReport(dir: string, report: Report): string {
  mkdirSync(dir, { recursive: true });
  const figures = Object.fromEntries(Object.entries(report.figures).map(([key, value]) => [key, round(value)])) as unknown as Figures;
  const goals = Object.fromEntries(Object.entries(GOALS).map(([key, goal]) => [key, goal.text]));
  const met = Object.fromEntries(Object.entries(GOALS).map(([key, goal]) => [key, goal.met(report.figures)]));
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({
    ...figures, wallSeconds: round(report.wallSeconds), sizes: report.sizes, goals, met, measuredAt: report.measuredAt, limits: report.limits, details: report.details,
  }, null, 2)}\n`);

  const rows = (Object.keys(report.figures) as Array<keyof Figures>).map((key) => {
    const goal = GOALS[key];
    const verdict = goal === undefined ? '—' : goal.met(report.figures) ? 'yes' : '**no**';
    return `| \`${key}\` | ${figures[key]} | ${goal?.text ?? '—'} | ${verdict} | ${report.measuredAt[key]} |`;
  });
  const limits = Object.entries(report.limits).map(([key, text]) => `- **\`${key}\`**: ${text}`);
  const markdown = [
    `# billsync benchmark (${report.mode})`,
    '',
    `${new Date().toISOString()} · ${report.wallSeconds.toFixed(0)} s · ${String(report.details.machine ?? '')}`,
    '',
    '| figure | value | goal | met | measured at |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...(limits.length > 0 ? ['## Missed goals: what limits them', '', ...limits, ''] : []),
  ].join('\n');
  writeFileSync(join(dir, 'latest.md'), `${markdown}\n`);
  return markdown;
}
