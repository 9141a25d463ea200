import { join } from 'node:path';
import { BillitClient } from '../billit/client.js';
import { loadConfig, requireExportSettings } from '../config/load-config.js';
import type { BillsyncConfig } from '../config/schema.js';
import { Ledger } from '../ledger/ledger.js';
import { realFileSystem, type FileSystem } from '../platform/fs/file-system.js';
import { defaultPaths, type AppPaths } from '../platform/paths.js';
import { loadSchematronDir } from '../platform/schematron-compiler.js';
import type { CompiledSchematron } from '../formats/ubl/schematron.js';

/** The composition root's products for one command: configuration, ledger and Billit client. */
export interface AppContext {
  configFile: string;
  config: BillsyncConfig;
  paths: AppPaths;
  ledger: Ledger;
  fs: FileSystem;
  close(): void;
}

export function resolvePaths(configFlag: string | undefined): AppPaths {
  const paths = defaultPaths();
  return configFlag ? { ...paths, configFile: configFlag } : paths;
}

export function ledgerFile(paths: AppPaths): string {
  return join(paths.dataDir, 'ledger.sqlite');
}

export async function openApp(configFlag: string | undefined): Promise<AppContext> {
  const paths = resolvePaths(configFlag);
  const config = await loadConfig(paths.configFile);
  const ledger = Ledger.open(ledgerFile(paths));
  return { configFile: paths.configFile, config, paths, ledger, fs: realFileSystem, close: () => ledger.close() };
}

/** The official validation artefacts when the configuration names them, compiled once into the data dir. */
export async function validationArtefacts(app: Pick<AppContext, 'config' | 'paths'>): Promise<CompiledSchematron[] | undefined> {
  const dir = app.config.validation.schematronDir;
  return dir ? loadSchematronDir(dir, join(app.paths.dataDir, 'schematron-cache')) : undefined;
}

/** The `schematron` entry of the sync's dependencies, present only when configured. */
export async function schematronDeps(app: Pick<AppContext, 'config' | 'paths'>): Promise<{ schematron?: CompiledSchematron[] }> {
  const schematron = await validationArtefacts(app);
  return schematron ? { schematron } : {};
}

/** A Billit client from the configuration; throws ConfigError when the key is missing. */
export function billitClient(app: AppContext): BillitClient {
  const { apiKey } = requireExportSettings(app.config, app.configFile);
  const billit = app.config.billit;
  return new BillitClient({
    baseUrl: billit.baseUrl, credentials: { kind: 'apiKey', apiKey }, accountantPartyId: billit.accountantPartyId ?? null,
    ratePerSecond: billit.ratePerSecond, burst: Math.max(1, Math.ceil(billit.ratePerSecond * 2)), maxConcurrent: billit.maxConcurrent,
    proxy: billit.proxy ?? null,
  });
}
