import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { ConfigSchema, type BillsyncConfig, type ConfigInput } from './schema.js';

function describe(error: z.ZodError, file: string): ConfigError {
  const issue = error.issues[0]!;
  const key = issue.path.map(String).join('.') || '(top level)';
  let expected = issue.message;
  if (issue.code === 'unrecognized_keys') expected = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return new ConfigError(`configuration ${file}: ${key}: ${expected}`, file, key);
}

/** Validates a configuration object; errors name the key and what was expected. */
export function parseConfig(input: unknown, file = '(config)'): BillsyncConfig {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw describe(result.error, file);
  return result.data;
}

/** Reads and validates the configuration file. A missing file gives the defaults. */
export async function loadConfig(file: string): Promise<BillsyncConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({}, file);
    throw new ConfigError(`cannot read configuration ${file}: ${(error as Error).message}`, file);
  }
  let json: unknown;
  const clean = text.replace(/^\uFEFF/, '');
  try {
    json = JSON.parse(clean);
  } catch (error) {
    // The parser's message quotes the text around the mistake, which may be the API key: give only where.
    throw new ConfigError(`configuration ${file} is not valid JSON (${jsonErrorPlace(clean, (error as Error).message)}); check quotes and commas there`, file);
  }
  return parseConfig(json, file);
}

/** Writes the configuration atomically, readable by the user only (it may hold the API key). */
export async function saveConfig(file: string, config: ConfigInput): Promise<void> {
  const validated = parseConfig(config, file);
  await mkdir(dirname(file), { recursive: true });
  // A name of its own per save: two saves (the CLI and the agent, or two at once) never share a temp file.
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(validated, null, 2)}\n`, { mode: 0o600 });
    const handle = await open(temp, 'r+');
    try { await handle.sync(); } finally { await handle.close(); }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Asserts the keys an export needs are present. */
export function requireExportSettings(config: BillsyncConfig, file: string): { apiKey: string; exportRoot: string } {
  if (!config.billit.apiKey) throw new ConfigError(`configuration ${file}: billit.apiKey is missing: set the API key Billit support gave you (billsync config set billit.apiKey KEY)`, file, 'billit.apiKey');
  if (!config.exportRoot) throw new ConfigError(`configuration ${file}: exportRoot is missing: set the folder Venice reads (billsync config set exportRoot PATH)`, file, 'exportRoot');
  return { apiKey: config.billit.apiKey, exportRoot: config.exportRoot };
}

/** Where JSON.parse stopped, without quoting any of the text (Node 20 quotes the text around it). */
function jsonErrorPlace(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
  }
  return (message.split(',')[0] ?? '').replace(/token\s+'.*?'/, 'token').replace(/".*$/s, '').trim() || 'syntax error';
}
