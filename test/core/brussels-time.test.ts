import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brusselsOffsetMinutes, fromBrusselsLocal, toBrusselsLocal } from '../../src/core/brussels-time.js';

/** The time zone database's answer, the slow way, to compare with. */
const reference = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Brussels', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const expected = (instant: Date): string => `${reference.format(instant).replace(' ', 'T')}.${String(instant.getUTCMilliseconds()).padStart(3, '0')}`;

test('Brussels local time equals the time zone database\'s, every 7 minutes from 2019 to 2031 and around each DST switch', () => {
  let checked = 0;
  for (let ms = Date.UTC(2019, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 7 * 60_000 + 13) {
    const instant = new Date(ms);
    assert.equal(toBrusselsLocal(instant), expected(instant), instant.toISOString());
    checked++;
  }
  // The switches (last Sunday of March and October, 01:00 UTC), a millisecond either side.
  for (let year = 2019; year <= 2030; year++) {
    for (const month of [2, 9]) {
      const lastSunday = 31 - new Date(Date.UTC(year, month, 31)).getUTCDay();
      const at = Date.UTC(year, month, lastSunday, 1);
      for (const ms of [at - 1, at, at + 1, at - 3_600_000, at + 3_599_999]) {
        const instant = new Date(ms);
        assert.equal(toBrusselsLocal(instant), expected(instant), instant.toISOString());
        checked++;
      }
      assert.equal(brusselsOffsetMinutes(new Date(at - 1)), month === 2 ? 60 : 120);
      assert.equal(brusselsOffsetMinutes(new Date(at)), month === 2 ? 120 : 60);
    }
  }
  assert.ok(checked > 900_000);
});

test('Billit timestamps read as Brussels time, also in the hour that is skipped or repeated', () => {
  assert.equal(fromBrusselsLocal('2026-12-04T17:30:00')!.toISOString(), '2026-12-04T16:30:00.000Z');
  assert.equal(fromBrusselsLocal('2026-07-01T12:00:00.5')!.toISOString(), '2026-07-01T10:00:00.500Z');
  // 29 March 2026: 02:00–03:00 does not exist; 25 October 2026: 02:00–03:00 happens twice (the later one is chosen).
  assert.equal(fromBrusselsLocal('2026-03-29T02:30:00')!.toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(fromBrusselsLocal('2026-10-25T02:30:00')!.toISOString(), '2026-10-25T01:30:00.000Z');
  assert.equal(fromBrusselsLocal('2026-10-25T02:30:00Z')!.toISOString(), '2026-10-25T02:30:00.000Z', 'an explicit offset is honoured');
  assert.equal(fromBrusselsLocal('not a date'), null);
});
