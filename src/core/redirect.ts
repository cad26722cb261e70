import { ConfigError, type Platform } from './errors.js';
import { redactUrl } from './redact.js';

// Redirects on API calls are refused (see `RequestSpec.followRedirects`): the REST
// APIs the SDK calls never redirect, so one means a wrong `baseUrl`.

/** Whether `RequestClass` takes `redirect: 'error'` (Cloudflare Workers rejects it when the request is built). */
export function acceptsRedirectError(RequestClass: typeof Request): boolean {
  try {
    new RequestClass('http://localhost/', { redirect: 'error' });
    return true;
  } catch {
    return false;
  }
}

let refusalMode: 'error' | 'manual' | undefined;

/**
 * The `redirect` mode that refuses redirects: `'error'` where fetch has it (it
 * also spares undici a copy of every request body), else `'manual'`, which
 * hands the 3xx back for the transport to refuse. Checked once, on first use.
 */
export function redirectRefusalMode(): 'error' | 'manual' {
  refusalMode ??= acceptsRedirectError(globalThis.Request) ? 'error' : 'manual';
  return refusalMode;
}

/** A status fetch follows as a redirect. */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * fetch's rejection of a redirect under `redirect: 'error'` (undici: `fetch failed`
 * with the cause `unexpected redirect`; other fetches say "redirect" too). Not a
 * rejection of the option itself (`Invalid redirect value`).
 */
export function isRedirectRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/redirect/i.test(e.message) && !/invalid redirect/i.test(e.message)) return true;
  }
  return false;
}

/**
 * The error for a redirect that was not followed, naming the option that set the
 * base URL (`field`); `location` (when known) is shown redacted.
 */
export function redirectRefused(event: { platform: Platform; method: string; url: string }, field: string, location?: string, href?: string): ConfigError {
  let target = '';
  if (location !== undefined) {
    try {
      target = ` to ${redactUrl(new URL(location, href))}`;
    } catch {
      target = ' to an address that is not a valid URL';
    }
  }
  return new ConfigError(`${event.platform} ${event.method} ${event.url} answered with a redirect${target}`, [
    {
      field,
      rule: 'redirect',
      message:
        'itsmkit does not follow redirects on API calls (a redirected write can be replayed as a GET or lose its credentials); ' +
        'set it to the address the server redirects to: https rather than http, the service’s own host rather than a vanity or single sign-on address',
    },
  ]);
}
