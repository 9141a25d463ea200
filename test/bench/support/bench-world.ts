import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server.js';

/** A generated Billit world: orders (invoices, credit notes), other documents and CODA days per dossier. */
export interface WorldSize {
  dossiers: number;
  ordersPerDossier: number;
  otherDocsPerDossier: number;
  codaDays: number;
}

/** Billit PDFs padded to this size: an order's UBL with its PDF embedded is then ~250 KB. */
export const PDF_PAD_BYTES = 180_000;

export const describeSize = (size: WorldSize): string =>
  `${size.dossiers} dossiers × (${size.ordersPerDossier} orders + ${size.otherDocsPerDossier} documents + ${size.codaDays} days of CODA)`;

/**
 * A sandbox for a benchmark. History ends yesterday (Brussels), so that under the after-10-minutes
 * policy every document is due whatever the time of day; the few orders the generator marks rejected
 * are approved, so that every order of the world is exported. Benchmarks that count requests rather
 * than bytes pass `pdfPadBytes` 0: small files, the same calls.
 */
export async function openBenchSandbox(size: WorldSize, seed: string, pdfPadBytes = PDF_PAD_BYTES): Promise<Sandbox> {
  const today = new Date();
  const anchor = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1));
  const sandbox = await startSandbox({
    seed, anchor, dossiers: size.dossiers, docsPerDossier: size.ordersPerDossier, otherDocsPerDossier: size.otherDocsPerDossier,
    codaDays: size.codaDays, pdfPadBytes,
  });
  for (const order of sandbox.world.orders.values()) if (order.approvalStatus === 'Rejected') order.approvalStatus = 'Approved';
  return sandbox;
}

/** Documents in the world that a full sync exports: every order, other document and CODA file. */
export function documentCount(sandbox: Sandbox): number {
  return sandbox.world.orders.size + sandbox.world.documents.size + sandbox.world.codaFiles.size;
}

/**
 * The files a full direct-mode sync downloads, as `GET /v1/files/{id}` calls: each order's UBL and,
 * when that UBL carries no PDF, Billit's PDF to embed; each other document's file; each CODA file.
 */
export function filesOfWorld(sandbox: Sandbox): Array<{ partyId: number; fileId: string }> {
  const world = sandbox.world;
  const files: Array<{ partyId: number; fileId: string }> = [];
  for (const order of world.orders.values()) {
    files.push({ partyId: order.companyId, fileId: order.ublFileId });
    if (!order.embedPdf) files.push({ partyId: order.companyId, fileId: order.pdfFileId });
  }
  for (const document of world.documents.values()) files.push({ partyId: document.companyId, fileId: document.fileId });
  for (const coda of world.codaFiles.values()) files.push({ partyId: coda.companyId, fileId: coda.codaFileId });
  return files;
}

/** A throw-away folder with an export root, a data dir and a configuration file for one agent. */
export interface Workspace {
  base: string;
  root: string;
  dataDir: string;
  configFile: string;
  /** The environment the agent runs in: its data dir, and no display (no tray). */
  env: NodeJS.ProcessEnv;
  writeConfig(config: Partial<ConfigInput>): void;
  /** Total size of the files under the export root. */
  exportedBytes(): number;
  remove(): void;
}

export function workspace(sandbox: Sandbox, label: string): Workspace {
  const base = mkdtempSync(join(tmpdir(), `billsync-bench-${label}-`));
  const root = join(base, 'export');
  const dataDir = join(base, 'data');
  mkdirSync(root);
  const configFile = join(base, 'config.json');
  return {
    base, root, dataDir, configFile,
    env: { ...process.env, BILLSYNC_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' },
    writeConfig(config) {
      writeFileSync(configFile, JSON.stringify({
        exportRoot: root,
        policy: { frequency: 'after-10-minutes' },
        ...config,
        billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ...config.billit },
      }, null, 2));
    },
    exportedBytes: () => folderBytes(root),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}
