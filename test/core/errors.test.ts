import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  AuthError,
  brandError,
  ConfigError,
  createHttpError,
  ForbiddenError,
  hasErrorKind,
  HttpError,
  isAuthError,
  isHttpError,
  isItsmError,
  isRateLimitError,
  isServerError,
  isValidationError,
  ItsmError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  ValidationError,
} from '../../src/core/errors.js';

const retry = { attempts: 1, elapsedMs: 5, delaysMs: [] };
const base = { platform: 'servicenow', method: 'GET', url: 'https://x.service-now.com/api/now/table/incident', retry } as const;

describe('createHttpError', () => {
  it.each([
    [401, AuthError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [200, UnexpectedResponseError],
    [400, HttpError],
  ])('maps %i to %s', (status, cls) => {
    const error = createHttpError({ ...base, status });
    expect(error).toBeInstanceOf(cls);
    expect(error.name).toBe(cls.name);
    expect(error.status).toBe(status);
    expect(isHttpError(error)).toBe(true);
    expect(isItsmError(error)).toBe(true);
  });

  it('puts the platform message in the message and the body only on the error', () => {
    const body = { error: { message: 'No Record found', detail: 'jane.doe@example.com cannot see it' }, status: 'failure' };
    const error = createHttpError({ ...base, status: 404, body, platformError: { message: 'No Record found' } });
    expect(error.message).toBe('servicenow GET https://x.service-now.com/api/now/table/incident failed with 404: No Record found');
    expect(error.body).toEqual(body);
    expect(error.message).not.toContain('jane.doe');
    expect(JSON.stringify(error)).not.toContain('jane.doe');
    expect(inspect(error)).not.toContain('jane.doe');
  });

  it('carries rate-limit details on 429', () => {
    const error = createHttpError({ ...base, status: 429, rateLimit: { retryAfterMs: 2000, limit: 100 } });
    expect(isRateLimitError(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect((error as RateLimitError).rateLimit.limit).toBe(100);
  });

  it('says how many attempts were made', () => {
    const error = createHttpError({ ...base, status: 503, retry: { attempts: 3, elapsedMs: 10, delaysMs: [1, 2] } });
    expect(error.message).toMatch(/after 3 attempts$/);
    expect(isServerError(error)).toBe(true);
  });
});

describe('guards', () => {
  it('work across duplicate copies of the package (brand, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('itsmkit.error.kinds')]: ['AuthError', 'HttpError', 'ItsmError'] });
    expect(isAuthError(foreign)).toBe(true);
    expect(isHttpError(foreign)).toBe(true);
    expect(isValidationError(foreign)).toBe(false);
  });

  it('reject lookalikes and primitives', () => {
    expect(isItsmError(new Error('x'))).toBe(false);
    expect(isItsmError(null)).toBe(false);
    expect(isItsmError('AuthError')).toBe(false);
  });

  it('subclasses keep their own name and the chain', () => {
    const error = new ValidationError('Invalid incident', [
      { field: 'shortDescription', rule: 'required', message: 'is required' },
      { field: 'urgency', rule: 'enum', message: 'must be one of high, medium, low' },
    ]);
    expect(error.name).toBe('ValidationError');
    expect(error).toBeInstanceOf(ItsmError);
    expect(error.message).toBe('Invalid incident: shortDescription: is required; urgency: must be one of high, medium, low');
    expect(new ConfigError('bad').name).toBe('ConfigError');
    const auth = createHttpError({ ...base, status: 401 });
    expect(auth.name).toBe('AuthError');
    expect(isHttpError(auth) && isItsmError(auth)).toBe(true);
  });

  it("brand a host's own subclass with brandError; an unbranded one takes its parent's name", () => {
    class QuotaError extends ValidationError {}
    brandError(QuotaError, 'QuotaError');
    class PlainError extends ConfigError {}
    const quota = new QuotaError('over quota', []);
    expect(quota.name).toBe('QuotaError');
    expect(hasErrorKind(quota, 'QuotaError') && isValidationError(quota) && isItsmError(quota)).toBe(true);
    expect(new PlainError('x').name).toBe('ConfigError');
    expect(hasErrorKind(new PlainError('x'), 'QuotaError')).toBe(false);
  });
});
