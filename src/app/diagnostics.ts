import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { configForDisplay, proxyForDisplay, proxySecrets } from '../config/config-display.js';
import type { BillsyncConfig } from '../config/schema.js';
import { brusselsTime, toBrusselsLocal } from '../core/brussels-time.js';
import type { Ledger } from '../ledger/ledger.js';
import { writeFileAtomic } from '../platform/fs/atomic-write.js';
import { realFileSystem } from '../platform/fs/file-system.js';
import { redactor } from '../platform/log.js';
import { readLogTail } from '../platform/log-tail.js';
import type { AppPaths } from '../platform/paths.js';
import { packageVersion } from './version.js';

/** What the report is made of: the agent's configuration, folders and ledger, as they are now. */
export interface DiagnosticsSource {
  config: BillsyncConfig;
  configFile: string;
  paths: AppPaths;
  ledger: Ledger;
  /** The agent's status line, when an agent runs. */
  statusLine?: string | null;
  /** Why the configuration file could not be used (the report then shows the defaults). */
  configProblem?: string | null;
  /** More strings to mask (the key of a configuration file the schema refused). */
  secrets?: readonly string[];
  now: Date;
  env?: NodeJS.ProcessEnv;
}

/** Log lines the report carries: enough for the last runs of a busy day, small enough to mail. */
export const DIAGNOSTICS_LOG_LINES = 400;
const RECENT_RUNS = 10;
const RECENT_EVENTS = 30;
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/**
 * The *Copy diagnostics* report of product.md §7: versions, folders, settings without secrets, what
 * the ledger holds and the recent log, as one text file for the office's IT partner or support.
 * The API key and proxy passwords are left out where they belong and masked wherever else they
 * might appear (an old log line, an error message), like the logger masks them.
 */
export async function diagnosticsReport(source: DiagnosticsSource): Promise<string> {
  const { config, ledger, paths } = source;
  const env = source.env ?? process.env;
  const sections: string[] = [];
  sections.push([
    `billsync diagnostics, made ${toBrusselsLocal(source.now).slice(0, 19).replace('T', ' ')} (Europe/Brussels)`,
    'Look it over before you send it on: it names dossiers, files and folders; it holds no API key or password.',
  ].join('\n'));
  sections.push(section('Versions', [
    `billsync ${packageVersion()}`,
    `Node.js ${process.version} (${platform()} ${arch()}, OS release ${release()})`,
  ]));
  sections.push(section('Folders', [
    `configuration file: ${source.configFile}`,
    `data folder (ledger, quarantine): ${paths.dataDir}`,
    `log folder: ${paths.logDir}`,
    `export root: ${config.exportRoot ?? '(not set)'}`,
  ]));
  if (source.statusLine) sections.push(section('Status', [source.statusLine]));
  if (source.configProblem) sections.push(section('Configuration problem (the settings below are the defaults)', [source.configProblem]));
  sections.push(section('Settings (secrets left out)', [
    `API key: ${config.billit.apiKey ? 'set (not shown)' : 'not set'}`,
    ...JSON.stringify(configForDisplay(config), null, 2).split('\n'),
  ]));
  const proxies = PROXY_VARIABLES.filter((name) => env[name]).map((name) => `${name}: ${name.toLowerCase() === 'no_proxy' ? env[name] : proxyForDisplay(env[name]!)}`);
  if (proxies.length > 0) sections.push(section('Proxy variables of the environment', proxies));
  sections.push(section('Ledger', ledgerLines(ledger)));
  sections.push(section(`Recent runs (newest first, at most ${RECENT_RUNS}; Brussels time)`, ledger.runs.list(RECENT_RUNS).map((run) =>
    `#${run.id} ${run.trigger}: ${run.status}, ${brusselsTime(run.startedAt)} → ${run.finishedAt ? brusselsTime(run.finishedAt) : '…'}${run.summary ? ` ${JSON.stringify(run.summary)}` : ''}`)));
  sections.push(section(`Recent events (newest first, at most ${RECENT_EVENTS}; Brussels time)`, ledger.events.list({ limit: RECENT_EVENTS }).map((event) =>
    `${brusselsTime(event.at)} ${event.type}${event.dossierPartyId === null ? '' : ` [dossier ${event.dossierPartyId}]`}: ${event.message}`)));
  sections.push(section(`Log, the last ${DIAGNOSTICS_LOG_LINES} lines (oldest first)`, await logLines(paths.logDir)));
  const mask = redactor([config.billit.apiKey ?? '', ...(source.secrets ?? []), ...proxySecrets(config.billit.proxy), ...PROXY_VARIABLES.flatMap((name) => proxySecrets(env[name]))]);
  return `${mask(sections.join('\n\n'))}\n`;
}

/** Writes the report into `<data dir>/diagnostics/` (whole or not at all) and returns its path, for the tray to show. */
export async function saveDiagnostics(source: DiagnosticsSource): Promise<string> {
  return writeFileAtomic(realFileSystem, join(source.paths.dataDir, 'diagnostics'), diagnosticsFileName(source.now), Buffer.from(await diagnosticsReport(source), 'utf8'));
}

/** billsync-diagnostics-2026-12-04-231005.txt, in Brussels time. */
export function diagnosticsFileName(now: Date): string {
  const local = toBrusselsLocal(now);
  return `billsync-diagnostics-${local.slice(0, 10)}-${local.slice(11, 13)}${local.slice(14, 16)}${local.slice(17, 19)}.txt`;
}

function section(title: string, lines: string[]): string {
  return [`== ${title}`, ...(lines.length > 0 ? lines : ['(none)'])].join('\n');
}

function ledgerLines(ledger: Ledger): string[] {
  const byState = new Map<string, number>();
  for (const row of ledger.documents.countsByDossier()) byState.set(row.state, (byState.get(row.state) ?? 0) + row.count);
  const outbox = new Map<string, number>();
  for (const row of ledger.outbox.list()) outbox.set(row.state, (outbox.get(row.state) ?? 0) + 1);
  const counts = (map: Map<string, number>) => map.size === 0 ? 'none' : [...map].sort(([a], [b]) => a.localeCompare(b)).map(([state, n]) => `${state} ${n}`).join(', ');
  return [
    `dossiers: ${ledger.dossiers.list().length}`,
    `documents: ${ledger.documents.count()} (${counts(byState)})`,
    `Outbox uploads: ${counts(outbox)}`,
  ];
}

async function logLines(dir: string): Promise<string[]> {
  try {
    const lines = await readLogTail(dir, 'all', DIAGNOSTICS_LOG_LINES);
    return lines.reverse().map((line) => line.raw ? line.message : `${line.time ?? ''} ${line.level ?? ''} ${line.message}${line.extra ? ` ${line.extra}` : ''}`);
  } catch (error) {
    return [`(the log in ${dir} could not be read: ${(error as Error).message})`];
  }
}
