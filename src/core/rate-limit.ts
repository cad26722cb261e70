import type { RateLimitInfo } from './errors.js';

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into ms from `now`.
 * `0` means "retry now", not "never"; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  // Only an HTTP date (it names a weekday or month) counts; `-3` or `soon` are ignored.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Parses `X-RateLimit-Reset`: ServiceNow sends Unix seconds, Jira an ISO 8601
 * time (`yyyy-MM-ddTHH:mmZ`). Both become a Date.
 */
export function parseRateLimitReset(value: string | null | undefined): Date | undefined {
  if (value == null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    // Values this large are already milliseconds.
    const date = new Date(n > 1e12 ? n : n * 1000);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : new Date(date);
}

function intHeader(value: string | null): number | undefined {
  if (value == null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Reads every rate-limit header either platform sends into one shape. */
export function readRateLimit(headers: Pick<Headers, 'get'>, now: number): RateLimitInfo {
  const info: {
    -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K];
  } = {};
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  const resetAt = parseRateLimitReset(headers.get('x-ratelimit-reset'));
  if (resetAt) info.resetAt = resetAt;
  const limit = intHeader(headers.get('x-ratelimit-limit'));
  if (limit !== undefined) info.limit = limit;
  const remaining = intHeader(headers.get('x-ratelimit-remaining'));
  if (remaining !== undefined) info.remaining = remaining;
  const near = headers.get('x-ratelimit-nearlimit');
  if (near != null) info.nearLimit = near.trim().toLowerCase() === 'true';
  const reason = headers.get('ratelimit-reason');
  if (reason) info.reason = reason;
  return info;
}
