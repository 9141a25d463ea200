import { z } from 'zod';

/**
 * billsync's configuration file (one JSON file; product.md §9). Every key has a default except
 * the ones only the office can know: the API key and the export root.
 */

const partyId = z.number().int().positive();

/** A dossier policy; every key optional so that a dossier overrides only what differs from the office. */
export const PolicyOverrideSchema = z.strictObject({
  /** never · last-month (recommended) · after-10-minutes */
  frequency: z.enum(['never', 'last-month', 'after-10-minutes']).optional(),
  /** Only documents the entrepreneur approved go out. */
  requireApproval: z.boolean().optional(),
  /** Exported documents are marked in Billit, which then refuses changes to them. */
  lockAfterExport: z.boolean().optional(),
  /** Day of the month of the monthly run (1–28, so that every month has it). */
  lastMonthDay: z.number().int().min(1).max(28).optional(),
  /** Time of the monthly run, HH:MM, Europe/Brussels. */
  lastMonthTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM, e.g. 06:00').optional(),
  /** Documents dated before this date (YYYY-MM-DD) are never exported automatically. */
  exportFrom: z.iso.date().optional(),
});

export const DossierOverrideSchema = z.strictObject({
  /** Folder name under the export root for this dossier; replaces the template. */
  folder: z.string().min(1).optional(),
  /** Leave this dossier out of automatic and manual exports. @default false */
  disabled: z.boolean().optional(),
  /** What differs from the office's policy for this dossier. */
  policy: PolicyOverrideSchema.optional(),
});

export const ConfigSchema = z.strictObject({
  billit: z.strictObject({
    /** https://api.billit.be (production), https://api.sandbox.billit.be, or a local sandbox. */
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.billit.be'),
    /** The Billsync API key Billit support issued. Secret: never logged. */
    apiKey: z.string().min(1).optional(),
    /** The accountant's own company, sent as ContextPartyID. */
    accountantPartyId: partyId.optional(),
    /** direct: billsync polls orders and marks them exported; feed: billsync drains an accountant feed. @default direct */
    mode: z.enum(['direct', 'feed']).default('direct'),
    /** Name of the accountant feed in feed mode. @default billsync */
    feedName: z.string().regex(/^[\w.-]{1,100}$/).default('billsync'),
    /** Client-side request pace. @default 4 */
    ratePerSecond: z.number().positive().max(100).default(4),
    /** Requests in flight. @default 4 */
    maxConcurrent: z.number().int().min(1).max(32).default(4),
    /**
     * The proxy every call to Billit goes through: http://host:port or https://host:port, with
     * user:password@ before the host when the proxy asks for a login (special characters
     * percent-encoded). Holds a secret when it carries a password: billsync's messages name the proxy
     * as host:port only, and the settings page shows the password masked.
     * @default none: the environment's HTTPS_PROXY/HTTP_PROXY and NO_PROXY apply, else calls go directly
     */
    proxy: z.url({ protocol: /^https?$/ }).optional(),
  }).prefault({}),
  /** The folder (local or UNC share) that holds one folder per dossier. */
  exportRoot: z.string().min(1).optional(),
  /** Template of a dossier's folder name: {name}, {enterprise}, {vat}, {partyId}. */
  dossierFolderTemplate: z.string().min(1).default('{name} ({enterprise})'),
  /** The office's default policy; each dossier may override keys. */
  policy: PolicyOverrideSchema.default({}),
  validation: z.strictObject({
    /**
     * Folder of the official Peppol/CEN validation XSLTs (*.xsl, *.xslt). When set, every UBL also runs
     * through them (SaxonJS) and their findings join billsync's own. @default none
     */
    schematronDir: z.string().min(1).optional(),
  }).prefault({}),
  /** Dossiers worked on at the same time. @default 4 */
  dossierConcurrency: z.number().int().min(1).max(32).default(4),
  watch: z.strictObject({
    /**
     * How the folder watchers learn about changes in the export root. auto: poll where the root is
     * a network share (UNC path, a drive letter mapped to one, a network mount on Linux), else use
     * change notifications; always: poll (a share billsync cannot recognise); never: notifications.
     * @default auto
     */
    polling: z.enum(['auto', 'always', 'never']).default('auto'),
  }).prefault({}),
  statusPage: z.strictObject({
    /** Port of the local status page on 127.0.0.1; 0 = a free one at every start. @default 0 */
    port: z.number().int().min(0).max(65535).default(0),
  }).prefault({}),
  /** Per-dossier settings, keyed by Billit PartyID. */
  dossiers: z.record(z.string().regex(/^\d+$/, 'dossier keys are Billit PartyIDs (digits)'), DossierOverrideSchema).default({}),
});

export type BillsyncConfig = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
