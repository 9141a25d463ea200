import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySetting, splitKey, valueAt, withValue } from '../../src/config/config-edit.js';
import { ConfigError } from '../../src/config/config-error.js';

test('a setting is read as JSON first, then as the text it is', () => {
  const raw = { billit: { apiKey: 'k' } };
  assert.equal(applySetting(raw, ['billit', 'ratePerSecond'], '2.5', 'c.json').config.billit.ratePerSecond, 2.5);
  assert.equal(applySetting(raw, ['billit', 'apiKey'], '12345', 'c.json').config.billit.apiKey, '12345', 'a key of digits stays text');
  assert.equal(applySetting(raw, ['exportRoot'], 'C:\\Venice', 'c.json').config.exportRoot, 'C:\\Venice');
  assert.deepEqual(applySetting(raw, ['policy'], '{"frequency":"never"}', 'c.json').config.policy, { frequency: 'never' });
  assert.throws(() => applySetting(raw, ['billit', 'ratePerSecond'], '-5', 'c.json'), /billit\.ratePerSecond: .*(>0|positive|too small)/i, 'the number reading\'s complaint');
  assert.deepEqual(raw, { billit: { apiKey: 'k' } }, 'the input is not changed');
});

test('keys are dotted words; none reaches a prototype', () => {
  assert.deepEqual(splitKey('dossiers.200001.policy.frequency'), ['dossiers', '200001', 'policy', 'frequency']);
  for (const key of ['', 'a..b', '__proto__.x', 'billit.constructor', 'a.prototype', 'a b', 'a.b/c']) {
    assert.throws(() => splitKey(key), ConfigError, key);
  }
  assert.equal(valueAt({ a: {} }, ['a', 'toString']), undefined, 'inherited members are not settings');
  const removed = withValue({ a: { b: 1, c: 2 } }, ['a', 'b'], undefined);
  assert.deepEqual(removed, { a: { c: 2 } });
  assert.deepEqual(withValue({}, ['x', 'y'], undefined), {}, 'removing what is not there creates nothing');
});
