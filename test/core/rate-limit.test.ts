import { describe, expect, it } from 'vitest';
import { parseRateLimitReset, parseRetryAfter, readRateLimit } from '../../src/core/rate-limit.js';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta seconds, including 0 (retry now, not never)', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
  });
  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    // Found by fuzzing: more digits than a double holds gave Infinity.
    expect(parseRetryAfter('9'.repeat(400), now)).toBeUndefined();
  });
});

describe('parseRateLimitReset', () => {
  it('reads ServiceNow Unix seconds and Jira ISO 8601', () => {
    expect(parseRateLimitReset(String(now / 1000))?.getTime()).toBe(now);
    expect(parseRateLimitReset(String(now))?.getTime()).toBe(now);
    expect(parseRateLimitReset('2026-11-23T12:05Z')?.toISOString()).toBe('2026-11-23T12:05:00.000Z');
    expect(parseRateLimitReset('nope')).toBeUndefined();
    // Found by fuzzing: numbers past the Date range gave an Invalid Date.
    expect(parseRateLimitReset('99999999999999999')).toBeUndefined();
    expect(parseRateLimitReset('9'.repeat(400))).toBeUndefined();
  });
});

describe('readRateLimit', () => {
  it('collects every rate-limit header into one shape', () => {
    const headers = new Headers({
      'retry-after': '0',
      'x-ratelimit-reset': '2026-11-23T12:05Z',
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-nearlimit': 'true',
      'ratelimit-reason': 'jira-burst-based',
    });
    expect(readRateLimit(headers, now)).toEqual({
      retryAfterMs: 0,
      resetAt: new Date('2026-11-23T12:05:00Z'),
      limit: 100,
      remaining: 0,
      nearLimit: true,
      reason: 'jira-burst-based',
    });
  });
});
