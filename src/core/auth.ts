import { base64Utf8 } from './redact.js';
import { ConfigError } from './errors.js';
import type { RequestSpec, TransportResponse } from './transport.js';

/** What an {@link AuthProvider} gets for each request. */
export interface AuthContext {
  readonly signal: AbortSignal | undefined;
  /** Sends a request through the same transport without auth (for token endpoints). */
  send<T = unknown>(spec: RequestSpec): Promise<TransportResponse<T>>;
}

/**
 * Supplies credentials for each request. Implement it to load credentials per
 * tenant or from a vault; the built-in ones cover basic, bearer, API-key and OAuth 2.0.
 */
export interface AuthProvider {
  /** Headers to add to one request. */
  headers(ctx: AuthContext): Promise<Record<string, string>> | Record<string, string>;
  /**
   * Called once after a 401. Resolve `true` when new credentials were obtained,
   * so the request is worth sending once more.
   */
  refresh?(ctx: AuthContext): Promise<boolean>;
  /** Secret values this provider knows, so the transport can scrub them from messages. */
  secrets?(): readonly string[];
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError('Missing credentials', [{ field, rule: 'required', message: 'is required (a non-empty string)' }]);
  }
  return value;
}

/** `Authorization: Basic base64(user:secret)`. */
export function basicAuth(username: string, password: string, fields: { user: string; secret: string } = { user: 'auth.username', secret: 'auth.password' }): AuthProvider {
  requireString(username, fields.user);
  requireString(password, fields.secret);
  const header = `Basic ${base64Utf8(`${username}:${password}`)}`;
  return { headers: () => ({ authorization: header }), secrets: () => [password, header.slice(6)] };
}

/** A token as a value or as a function returning one (called per request, so it can rotate). */
export type TokenSource = string | (() => string | Promise<string>);

/** `Authorization: Bearer <token>`, from a fixed token or a token function. */
export function bearerAuth(token: TokenSource, field = 'auth.token'): AuthProvider {
  if (typeof token === 'string') {
    requireString(token, field);
    return { headers: () => ({ authorization: `Bearer ${token}` }), secrets: () => [token] };
  }
  let last = '';
  return {
    async headers() {
      last = requireString(await token(), field);
      return { authorization: `Bearer ${last}` };
    },
    // A token function may hand out a fresh token: worth one more try.
    refresh: async () => true,
    secrets: () => (last ? [last] : []),
  };
}

/** A fixed secret header, e.g. ServiceNow's `x-sn-apikey`. */
export function headerAuth(name: string, value: string, field = 'auth.apiKey'): AuthProvider {
  requireString(value, field);
  return { headers: () => ({ [name]: value }), secrets: () => [value] };
}

/**
 * Wraps a function that resolves an auth config per request (per tenant, or
 * after rotation). A config equal to the previous one reuses the previous
 * provider, so OAuth token caches survive.
 */
export function dynamicAuth<C>(load: () => C | Promise<C>, build: (config: C) => AuthProvider): AuthProvider {
  let lastKey: string | undefined;
  let current: AuthProvider | undefined;
  const resolve = async (): Promise<AuthProvider> => {
    const config = await load();
    const key = JSON.stringify(config);
    if (!current || key !== lastKey) {
      current = build(config);
      lastKey = key;
    }
    return current;
  };
  return {
    async headers(ctx) {
      return (await resolve()).headers(ctx);
    },
    async refresh(ctx) {
      const before = current;
      const provider = await resolve();
      if (provider !== before) return true;
      return (await provider.refresh?.(ctx)) ?? false;
    },
    secrets: () => current?.secrets?.() ?? [],
  };
}

/** True when a value implements {@link AuthProvider}. */
export function isAuthProvider(value: unknown): value is AuthProvider {
  return typeof value === 'object' && value !== null && typeof (value as AuthProvider).headers === 'function';
}
