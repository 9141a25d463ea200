import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger, redactor } from '../../src/platform/log.js';

test('log lines are JSON with a Brussels time, and no secret reaches the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-log-'));
  const key = 'sbx-94020cf94d654f37885511f0d1ee63d6';
  const logger = createLogger({ dir, secrets: [key, 'rt-refresh-token-value'], console: false });
  logger.info(`calling Billit with key ${key}`);
  logger.warn('request headers', { headers: { ApiKey: key, Authorization: 'Bearer abcdefghijklmnop123' }, note: 'refresh rt-refresh-token-value' });
  logger.error('raw text ApiKey: something-else-42 and access_token=xyz12345');
  await logger.close();
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  assert.equal(files.length, 1);
  const text = readFileSync(join(dir, files[0]!), 'utf8');
  for (const secret of [key, 'abcdefghijklmnop123', 'rt-refresh-token-value', 'something-else-42', 'xyz12345']) {
    assert.ok(!text.includes(secret), `${secret} is not in the log`);
  }
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { level: string; message: string; time: string });
  assert.deepEqual(lines.map((l) => l.level), ['info', 'warn', 'error']);
  assert.match(lines[0]!.message, /calling Billit with key \[redacted\]/);
  assert.match(lines[0]!.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
});

test('the redactor masks header-like and token-like text even without a configured secret', () => {
  const redact = redactor([]);
  assert.equal(redact('ApiKey=abc123def'), 'ApiKey=[redacted]');
  assert.equal(redact('"apiKey": "k-1234567"'), '"apiKey": "[redacted]"');
  assert.equal(redact('Authorization: Bearer eyJhbGciOi.J9xyz'), 'Authorization: Bearer [redacted]');
  assert.equal(redact('nothing secret here'), 'nothing secret here');
});

test('the status page key in an address and a password in a proxy address never reach a log', async () => {
  const { redactor } = await import('../../src/platform/log.js');
  const redact = redactor([]);
  assert.equal(redact('cannot open http://127.0.0.1:4711/?token=AbC-123_x with xdg-open'), 'cannot open http://127.0.0.1:4711/?token=[redacted] with xdg-open');
  assert.equal(redact('proxy http://jan:Ge%40heim!@proxy.kantoor:3128 refused'), 'proxy http://jan:[redacted]@proxy.kantoor:3128 refused');
  assert.equal(redact('see https://api.billit.be/v1/orders?$top=120'), 'see https://api.billit.be/v1/orders?$top=120', 'ordinary addresses stay readable');
});

test('a key set while billsync runs is masked from then on, and the one it replaced stays masked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-log-'));
  const settings = { apiKey: '' };
  const logger = createLogger({ dir, secrets: () => [settings.apiKey], console: false });
  logger.info('no key yet');
  settings.apiKey = 'first-key-0a1b2c3d4e5f';
  logger.info(`Billit said: the key first-key-0a1b2c3d4e5f has no access to party 7`);
  settings.apiKey = 'second-key-9f8e7d6c5b4a';
  logger.warn('keys first-key-0a1b2c3d4e5f and second-key-9f8e7d6c5b4a seen in one message');
  await logger.close();
  const text = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.log'))!), 'utf8');
  assert.ok(!text.includes('first-key-0a1b2c3d4e5f') && !text.includes('second-key-9f8e7d6c5b4a'), text);
  const messages = text.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message);
  assert.deepEqual(messages, [
    'no key yet',
    'Billit said: the key [redacted] has no access to party 7',
    'keys [redacted] and [redacted] seen in one message',
  ]);
});
