import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/app/agent.js';
import { openApp, type AppContext } from '../../src/app/app-context.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { RecordingOpener } from '../../src/platform/open-target.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createStatusContext } from '../../src/status/context.js';
import type { Route, StatusContext } from '../../src/status/page.js';
import { startStatusServer, type StatusServer } from '../../src/status/server.js';

/** A status page on loopback over a real app (config file, ledger) bound to a sandbox; the agent is not started. */
export interface StatusPageEnv {
  server: StatusServer;
  app: AppContext;
  agent: Agent;
  context: StatusContext;
  opener: RecordingOpener;
  root: string;
  configFile: string;
  /** fetch with the session cookie (the token already traded), relative to the page's origin. */
  get(path: string): Promise<Response>;
  /** POST a form with the form token added. */
  post(path: string, fields: Record<string, string> | FormData): Promise<Response>;
  formToken: string;
  close(): Promise<void>;
}

export async function openStatusPage(sandbox: Sandbox, routes: readonly Route[], config: Partial<ConfigInput> = {}): Promise<StatusPageEnv> {
  const base = mkdtempSync(join(tmpdir(), 'billsync-page-'));
  const root = join(base, 'export');
  mkdirSync(root);
  const configFile = join(base, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    ...config,
    billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, ...config.billit },
    exportRoot: root,
  }, null, 2));
  process.env.BILLSYNC_DATA_DIR = join(base, 'data');
  const app = await openApp(configFile);
  const agent = new Agent(app);
  const opener = new RecordingOpener();
  const context = createStatusContext(app, agent, opener.open);
  const server = await startStatusServer({ context, routes, token: 'test-token-0123456789' });
  const { formToken } = await import('../../src/status/security.js');
  const cookie = 'billsync_session=test-token-0123456789';
  const forms = formToken('test-token-0123456789');
  return {
    server, app, agent, context, opener, root, configFile, formToken: forms,
    get: (path) => fetch(`${server.origin}${path}`, { headers: { cookie }, redirect: 'manual' }),
    post: (path, fields) => {
      let body: FormData | URLSearchParams;
      if (fields instanceof FormData) {
        fields.set('_token', forms);
        body = fields;
      } else {
        body = new URLSearchParams({ ...fields, _token: forms });
      }
      return fetch(`${server.origin}${path}`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' });
    },
    close: async () => {
      await server.close();
      await agent.stop(2000);
      app.close();
    },
  };
}
