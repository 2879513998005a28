import { describe, expect, it } from 'vitest';
import { SKEW_THRESHOLD_MS, clockSkewFrom, describeSkew, skewReading } from '../../src/core/clock-skew.js';

const AT = Date.parse('2026-03-01T12:00:00.000Z');

describe('skewReading: IdP time minus local time, from a Date header', () => {
  it.each<[string | undefined, number, number | null]>([
    // The header has whole seconds: the middle of that second is the estimate.
    ['Sun, 01 Mar 2026 12:00:00 GMT', AT, 500],
    ['Sun, 01 Mar 2026 12:01:30 GMT', AT, 90_500],
    ['Sun, 01 Mar 2026 11:58:30 GMT', AT, -89_500],
    ['Sun, 01 Mar 2026 12:00:00 GMT', AT + 900, -400],
    [undefined, AT, null],
    ['', AT, null],
    ['yesterday', AT, null],
    ['Sun, 01 Mar 2026 12:00:00 GMT', Number.NaN, null],
  ])('%s received at +%d', (header, receivedAt, expected) => {
    expect(skewReading(header, receivedAt)).toBe(expected);
  });
});

describe('clockSkewFrom: the skew to act on', () => {
  it.each<[string, number[], number]>([
    ['no readings', [], 0],
    ['a right clock (within a second)', [500, -400, 300], 0],
    ['just under the threshold', [SKEW_THRESHOLD_MS], 0],
    ['just over the threshold', [SKEW_THRESHOLD_MS + 1], SKEW_THRESHOLD_MS + 1],
    ['a clock 90 s behind', [90_500, 90_100, 89_900], 90_100],
    ['a clock 90 s ahead', [-89_500, -89_700], -89_600],
    ['one odd reading (a proxy) does not swing it', [90_500, 90_400, 1_000, 90_300], 90_350],
    ['one odd reading does not invent a skew', [200, 300, 60_000], 0],
    ['only the latest readings count (the clock was fixed mid-run)', [...Array(15).fill(90_000), ...Array(15).fill(100)], 0],
  ])('%s', (_label, readings, expected) => {
    expect(clockSkewFrom(readings)).toBe(expected);
  });
});

describe('describeSkew', () => {
  it.each([
    [90_100, '90 s behind'],
    [-6_000, '6 s ahead of'],
    [125_000, '2 min 5 s behind'],
    [-3_600_000, '60 min 0 s ahead of'],
  ])('%d ms: %s', (skew, text) => {
    expect(describeSkew(skew)).toBe(text);
  });
});
