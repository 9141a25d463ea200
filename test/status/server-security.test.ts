import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, test } from 'node:test';
import { html } from '../../src/status/html.js';
import type { Route, StatusContext } from '../../src/status/page.js';
import { startStatusServer, type StatusServer } from '../../src/status/server.js';
import { formToken } from '../../src/status/security.js';

const TOKEN = 'secret-token-for-this-test-0123456789';
let posted = 0;
const routes: Route[] = [
  { method: 'GET', path: '/', handler: () => ({ kind: 'page', title: 'Home', body: html`<p>${'<script>alert(1)</script>'}</p>` }) },
  { method: 'POST', path: '/change', handler: () => { posted += 1; return { kind: 'redirect', to: '/' }; } },
];
let server: StatusServer;

/** A raw HTTP request, so the Host header can be anything (fetch would not let us forge it). */
function raw(path: string, headers: Record<string, string>, method = 'GET', body = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  server = await startStatusServer({ context: {} as StatusContext, routes, token: TOKEN });
});
after(() => server.close());

test('the page listens on 127.0.0.1 only and its URL carries the token', async () => {
  assert.equal(server.boundAddress, '127.0.0.1', 'the socket is bound to loopback, not to every interface');
  assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=${TOKEN}$`));
  // The machine's other addresses (where it has any) do not answer on that port.
  const outside = Object.values(networkInterfaces()).flat().filter((i) => i !== undefined && !i.internal && i.family === 'IPv4');
  for (const address of outside) {
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: address!.address, port: server.port });
      socket.once('connect', () => { socket.destroy(); resolve('connected'); });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED', `${address!.address}:${server.port} must not answer`);
  }
});

test('the token in the address becomes an HttpOnly SameSite=Strict cookie and leaves the address', async () => {
  const host = `127.0.0.1:${server.port}`;
  const first = await raw(`/?token=${TOKEN}`, { Host: host });
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/');
  assert.deepEqual(first.headers['set-cookie'], [`billsync_session=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
  const page = await raw('/', { Host: host, Cookie: `billsync_session=${TOKEN}` });
  assert.equal(page.status, 200);
  assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'values are escaped');
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
});

test('a request without the token, with a wrong one, or with a foreign Host header is refused', async () => {
  const host = `127.0.0.1:${server.port}`;
  assert.equal((await raw('/', { Host: host })).status, 401);
  assert.equal((await raw('/?token=wrong', { Host: host })).status, 401);
  assert.equal((await raw('/', { Host: host, Cookie: 'billsync_session=wrong' })).status, 401);
  for (const foreign of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.2:${server.port}`]) {
    const answer = await raw(`/?token=${TOKEN}`, { Host: foreign, Cookie: `billsync_session=${TOKEN}` });
    assert.equal(answer.status, 403, `Host ${JSON.stringify(foreign)} must be refused`);
    assert.equal(answer.headers['set-cookie'], undefined);
  }
  assert.equal((await raw('/', { Host: `localhost:${server.port}`, Cookie: `billsync_session=${TOKEN}` })).status, 200);
});

test('a cross-site form post, or one without the form token, changes nothing', async () => {
  const host = `127.0.0.1:${server.port}`;
  const cookie = `billsync_session=${TOKEN}`;
  const form = { Host: host, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
  const good = `_token=${formToken(TOKEN)}`;
  assert.equal((await raw('/change', { ...form, Origin: 'http://evil.example' }, 'POST', good)).status, 403);
  assert.equal((await raw('/change', { ...form, 'Sec-Fetch-Site': 'cross-site' }, 'POST', good)).status, 403);
  assert.equal((await raw('/change', form, 'POST', '_token=nope')).status, 403);
  assert.equal((await raw('/change', form, 'POST', '')).status, 403);
  assert.equal(posted, 0);
  const ok = await raw('/change', { ...form, Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' }, 'POST', good);
  assert.equal(ok.status, 303);
  assert.equal(posted, 1);
});

test('the language switch only redirects within the page', async () => {
  const headers = { Host: `127.0.0.1:${server.port}`, Cookie: `billsync_session=${TOKEN}` };
  const fr = await raw('/lang/fr?back=%2Fsearch', headers);
  assert.equal(fr.headers.location, '/search');
  assert.match(String(fr.headers['set-cookie']), /billsync_lang=fr/);
  for (const back of ['//evil.example/', 'http://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example']) {
    assert.equal((await raw(`/lang/en?back=${encodeURIComponent(back)}`, headers)).headers.location, '/', `back=${back}`);
  }
});
