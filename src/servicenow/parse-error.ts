import type { PlatformErrorDetail } from '../core/index.js';

/**
 * Reads ServiceNow's error envelope, `{"error":{"message","detail"},"status":"failure"}`
 * (`detail` may be `null`, key order varies), and the OAuth token endpoint's
 * `{"error","error_description"}`. Anything else gives `undefined`. Used as the
 * transport's `parseError`.
 */
export function parseServiceNowError(body: unknown): PlatformErrorDetail | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (error !== null && typeof error === 'object') {
    const message = text((error as { message?: unknown }).message);
    const detail = text((error as { detail?: unknown }).detail);
    if (message === undefined && detail === undefined) return undefined;
    return { ...(message === undefined ? {} : { message }), ...(detail === undefined ? {} : { detail }) };
  }
  if (typeof error === 'string') {
    const description = text((body as { error_description?: unknown }).error_description);
    return { message: description ?? error, ...(description === undefined ? {} : { detail: error }) };
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
