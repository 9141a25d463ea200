import type { AppContext } from '../app/app-context.js';
import type { Agent } from '../app/agent.js';
import type { BillsyncConfig, ConfigInput } from '../config/schema.js';
import type { SafeHtml } from './html.js';
import type { Lang } from './i18n.js';

/** What every page handler works with: the running agent and its app, and a few actions. */
export interface StatusContext {
  app: AppContext;
  agent: Agent;
  /**
   * Applies `update` to the configuration file as it is when this save's turn comes (saves run one at
   * a time), then validates, saves and applies the result; throws ConfigError and saves nothing when
   * it is wrong.
   */
  saveConfig(update: (current: BillsyncConfig) => ConfigInput): Promise<void>;
  /** Opens a folder in the file manager of the machine billsync runs on. */
  open(target: string): Promise<void>;
  now(): Date;
}

/** One request, as a page sees it. */
export interface PageRequest {
  method: 'GET' | 'POST';
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The body of a POST (urlencoded or multipart), already checked for the form token. */
  form: FormData | null;
  lang: Lang;
  /** Put in every form as the hidden field `_token`. */
  formToken: string;
}

export type PageResult =
  | { kind: 'page'; status?: number; title: string; body: SafeHtml; nav?: NavKey }
  | { kind: 'redirect'; to: string }
  | { kind: 'json'; status?: number; value: unknown }
  /** `download`: a file name, sent as an attachment (the browser saves it instead of showing it). */
  | { kind: 'text'; status?: number; contentType: string; text: string; download?: string };

export type NavKey = 'dashboard' | 'search' | 'quarantine' | 'settings' | 'connection' | 'logs' | 'import';

export interface Route {
  method: 'GET' | 'POST';
  /** "/dossiers/:id" — a `:name` segment matches one path segment. */
  path: string;
  handler(request: PageRequest, context: StatusContext): Promise<PageResult> | PageResult;
}
