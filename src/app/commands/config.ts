import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkBillitAccess, type BillitCheck } from '../../billit/access-check.js';
import { configForDisplay } from '../../config/config-display.js';
import { applySetting, SECRET_KEYS, splitKey, valueAt, withValue } from '../../config/config-edit.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig, parseConfig, saveConfig } from '../../config/load-config.js';
import type { BillsyncConfig, ConfigInput } from '../../config/schema.js';
import { DEFAULT_POLICY } from '../../core/policy.js';
import { checkExportRoot, ROOT_MARKER } from '../../export/export-root.js';
import { writeTestExportRoot, type RootTest } from '../../export/root-write-test.js';
import { realFileSystem } from '../../platform/fs/file-system.js';
import { resolvePaths } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';

const USAGE = `usage: billsync config [show] [--config FILE]
       billsync config path
       billsync config get KEY
       billsync config set KEY VALUE [--no-check]
       billsync config unset KEY

  show     the settings, without the API key or a proxy password
  path     where the configuration file is
  get      one setting (a secret one only says whether it is set)
  set      one setting, checked before it is saved: an export root must take a test file, and Billit
           must accept the key (--no-check saves without asking Billit). VALUE - reads the value from
           standard input, which keeps an API key out of the shell's history.
  unset    back to the default

KEY is dotted: billit.apiKey, billit.accountantPartyId, billit.proxy, exportRoot, policy.frequency,
dossiers.<PartyID>.folder, dossiers.<PartyID>.policy.requireApproval, …`;

type Options = { config: string | undefined; check: boolean };

/** `billsync config`: read and change the configuration file from a terminal or an install script. */
export async function configCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { config: { type: 'string' }, 'no-check': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const [sub = 'show', ...rest] = positionals;
  const options: Options = { config: values.config, check: !values['no-check'] };
  const file = resolvePaths(options.config).configFile;
  switch (sub) {
    case 'show': return show(file, rest);
    case 'path': console.log(file); return EXIT.ok;
    case 'get': return get(file, rest);
    case 'set': return set(file, rest, options);
    case 'unset': return unset(file, rest);
    default: throw new UsageError(USAGE);
  }
}

async function show(file: string, rest: string[]): Promise<number> {
  if (rest.length > 0) throw new UsageError(USAGE);
  const config = await loadConfig(file);
  console.log(`# ${file}`);
  console.log(`# API key: ${config.billit.apiKey ? 'set (not shown)' : 'not set'}`);
  console.log(JSON.stringify(configForDisplay(config), null, 2));
  return EXIT.ok;
}

async function get(file: string, rest: string[]): Promise<number> {
  if (rest.length !== 1) throw new UsageError(`give one key\n${USAGE}`);
  const key = rest[0]!;
  const path = splitKey(key);
  // The file as billsync reads it, defaults included: "get policy.frequency" answers last-month on a fresh install.
  assertKnownKey(path, key, file);
  const config = await loadConfig(file);
  // Read from the displayable view, so that no key, however general ("billit"), prints a secret.
  const value = valueAt(configForDisplay(config), path);
  const inherited = value === undefined ? policyInForce(config, path) : undefined;
  if (key === 'billit.apiKey') console.log(config.billit.apiKey ? 'set (not shown)' : 'not set');
  else if (inherited !== undefined) console.log(`${shown(inherited.value)} (not set here: ${inherited.from})`);
  else if (value === undefined) console.log('not set');
  else console.log(shown(value));
  return EXIT.ok;
}

/** Strings as they are (a path pastes as it is), anything else as JSON. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/**
 * An unset policy key still has a value in force: the office's policy or the built-in default for
 * "policy.X", and the office's policy for "dossiers.<id>.policy.X".
 */
function policyInForce(config: BillsyncConfig, path: readonly string[]): { value: unknown; from: string } | undefined {
  const office = path.length === 2 && path[0] === 'policy';
  const dossier = path.length === 4 && path[0] === 'dossiers' && /^\d+$/.test(path[1]!) && path[2] === 'policy';
  if (!office && !dossier) return undefined;
  const name = path.at(-1)!;
  if (!Object.hasOwn(DEFAULT_POLICY, name)) return undefined;
  const officeValue = valueAt(config.policy, [name]);
  if (dossier && officeValue !== undefined) return { value: officeValue, from: 'the office policy applies' };
  return { value: DEFAULT_POLICY[name as keyof typeof DEFAULT_POLICY] ?? null, from: 'the default applies' };
}

async function set(file: string, rest: string[], options: Options): Promise<number> {
  if (rest.length !== 2) throw new UsageError(`give a key and a value\n${USAGE}`);
  const [key, given] = rest as [string, string];
  const path = splitKey(key);
  const text = given === '-' ? await readStdin() : given;
  const raw = await readRaw(file);
  const before = currentOrDefaults(raw, file);
  const { raw: next, config } = applySetting(raw, path, text, file);

  let markerCreated = false;
  const root = config.exportRoot;
  if (key === 'exportRoot' && root) {
    const test = await writeTestExportRoot(realFileSystem, root);
    if (!test.ok) {
      console.error(`billsync config: ${rootProblem(test, root)} Nothing was saved.`);
      return test.problem === 'relative' || test.problem === 'not-folder' ? EXIT.usage : EXIT.unreachable;
    }
    // As on the settings page: the folder chosen just now is the real root, so it gets its marker.
    if (!test.hasMarker && root !== before.exportRoot) {
      await checkExportRoot(realFileSystem, root, true);
      markerCreated = true;
    }
  }
  if (path[0] === 'billit' && options.check && config.billit.apiKey && billitChanged(before, config)) {
    const check = await checkBillitAccess({
      baseUrl: config.billit.baseUrl, apiKey: config.billit.apiKey, accountantPartyId: config.billit.accountantPartyId ?? null, proxy: config.billit.proxy ?? null,
    });
    if (!check.ok) {
      console.error(`billsync config: ${billitProblem(check, config)} Nothing was saved.`);
      // A proxy refusing the login is Billit out of reach, as everywhere else in billsync.
      return check.problem === 'unreachable' || check.problem === 'proxy' ? EXIT.unreachable : EXIT.usage;
    }
  }
  try {
    await save(file, next);
  } catch (error) {
    if (markerCreated && root) await realFileSystem.unlink(join(root, ROOT_MARKER)).catch(() => undefined);
    throw error;
  }
  console.log(touchesSecret(path) ? `${key} saved (not shown) in ${file}` : `${key} = ${JSON.stringify(valueAt(config, path))} saved in ${file}`);
  return EXIT.ok;
}

async function unset(file: string, rest: string[]): Promise<number> {
  if (rest.length !== 1) throw new UsageError(`give one key\n${USAGE}`);
  const key = rest[0]!;
  const path = splitKey(key);
  assertKnownKey(path, key, file);
  const raw = await readRaw(file);
  if (raw === null || valueAt(raw, path) === undefined) {
    console.log(`${key} is not set in ${file}`);
    return EXIT.ok;
  }
  const next = withValue(raw, path, undefined);
  await save(file, parseConfig(next, file));
  console.log(`${key} removed from ${file}`);
  return EXIT.ok;
}

/**
 * The file's JSON as it is, not as the schema reads it, so that an edit can mend a file the schema
 * refuses (the saved file is then the schema's reading, defaults written out, as the settings page saves
 * it). Null when there is no file yet. Unreadable JSON fails as loadConfig says.
 */
async function readRaw(file: string): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return null;
    throw new ConfigError(`cannot read configuration ${file} (${code})`, file);
  }
  try {
    const json: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch { /* loadConfig below says where */ }
  await loadConfig(file);
  throw new UsageError(`configuration ${file} is not a JSON object; fix or remove it first`);
}

/** The settings in force, for comparing against; a file the schema refuses is compared as the defaults (the edit may mend it). */
function currentOrDefaults(raw: Record<string, unknown> | null, file: string): BillsyncConfig {
  try {
    return parseConfig(raw ?? {}, file);
  } catch {
    return parseConfig({}, file);
  }
}

/** saveConfig, with a file-system failure said as a configuration error (exit 2) that names the file. */
async function save(file: string, config: ConfigInput): Promise<void> {
  try {
    await saveConfig(file, config);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`configuration ${file} cannot be saved (${code}); nothing was changed`, file);
  }
}

/** Whether `path` is a secret setting, inside one, or holds one ("billit" holds the API key). */
function touchesSecret(path: readonly string[]): boolean {
  const key = path.join('.');
  return [...SECRET_KEYS].some((secret) => secret === key || secret.startsWith(`${key}.`) || key.startsWith(`${secret}.`));
}

/** get and unset of a mistyped key say so, rather than "not set". */
function assertKnownKey(path: readonly string[], key: string, file: string): void {
  try {
    parseConfig(withValue({}, path, null), file);
  } catch (error) {
    if (error instanceof ConfigError && /unknown key/.test(error.message)) {
      throw new ConfigError(`"${key}" is not a setting billsync knows (${error.message.replace(/^configuration [^:]*: /, '')}); see billsync config show`, file, key);
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') throw new UsageError('the value read from standard input is empty');
  return text;
}

function billitChanged(before: BillsyncConfig, after: BillsyncConfig): boolean {
  const keys = ['apiKey', 'baseUrl', 'accountantPartyId', 'proxy'] as const;
  return keys.some((k) => before.billit[k] !== after.billit[k]);
}

function rootProblem(test: Extract<RootTest, { ok: false }>, root: string): string {
  switch (test.problem) {
    case 'relative': return `the export root must be a full path (C:\\Venice\\Export, \\\\server\\share\\Venice or /srv/venice), not "${root}".`;
    case 'missing': return `the export root ${root} does not exist (or the share is not connected); create the folder first.`;
    case 'blocked': return `the export root ${root} cannot be reached: part of the path is a file, not a folder.`;
    case 'not-folder': return `the export root ${root} is a file, not a folder.`;
    case 'denied': return `billsync may not write in the export root ${root} (${test.code}).`;
    case 'read-only': return `the export root ${root} is read-only.`;
    case 'full': return `the disk of the export root ${root} is full.`;
    case 'other': return `a test file could not be written in the export root ${root} (${test.code}).`;
  }
}

function billitProblem(check: Extract<BillitCheck, { ok: false }>, config: BillsyncConfig): string {
  switch (check.problem) {
    case 'key-rejected': return 'Billit rejected the API key: check it with Billit support.';
    case 'party': return `Billit accepts the key, but not for party ${config.billit.accountantPartyId}: check billit.accountantPartyId.`;
    case 'unreachable': return `Billit cannot be reached at ${config.billit.baseUrl}: ${check.detail} (--no-check saves it without asking Billit).`;
    case 'proxy': return check.proxy === null ? 'the proxy asks for a login.' : `the proxy ${check.proxy} ${check.credentialsSent ? 'refused the login' : 'asks for a login'}.`;
    case 'other': return `Billit did not accept the settings: ${check.detail}`;
  }
}
