import type { AuthContext, AuthProvider } from './auth.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { ConfigError } from './errors.js';

/** The OAuth 2.0 grants itsmkit can run against a token endpoint. */
export type OAuthGrant = 'password' | 'client_credentials' | 'refresh_token';

/** A token set as a token endpoint returns it, for persisting rotated refresh tokens. */
export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** When the access token expires (epoch ms). */
  readonly expiresAt: number;
}

/** Options of {@link oauth2Auth}. */
export interface OAuth2Options {
  /** The token endpoint, absolute or relative to the client's base URL (ServiceNow: `/oauth_token.do`). */
  readonly tokenUrl: string;
  readonly grant: OAuthGrant;
  readonly clientId: string;
  readonly clientSecret: string;
  /** For the `password` grant. */
  readonly username?: string;
  /** For the `password` grant. */
  readonly password?: string;
  /** For the `refresh_token` grant, or a refresh token persisted from an earlier run. */
  readonly refreshToken?: string;
  readonly scope?: string;
  /** Body encoding: ServiceNow wants a form, Atlassian JSON. @default 'form' */
  readonly encoding?: 'form' | 'json';
  /** Refresh this long before expiry, in ms. @default 60000 */
  readonly refreshAheadMs?: number;
  /**
   * An access token obtained earlier (an authorization-code exchange, a persisted
   * session): used until it expires or is refused, then the grant runs.
   * Without `expiresAt` it is used until a 401.
   */
  readonly initialTokens?: { readonly accessToken: string; readonly expiresAt?: number };
  /** Called with every new token set, so a host can persist a rotated refresh token. */
  readonly onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  readonly clock?: Clock;
}

interface TokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
}

/**
 * OAuth 2.0 bearer auth with a token cache, refresh ahead of expiry, one
 * in-flight token request shared by concurrent calls, and one re-auth on 401.
 * Token requests go through the same transport as every other call.
 */
export function oauth2Auth(options: OAuth2Options): AuthProvider {
  const missing = (field: string) =>
    new ConfigError('Missing credentials', [
      { field: `auth.${field}`, rule: 'required', message: `is required for the ${options.grant} grant` },
    ]);
  if (!options.clientId) throw missing('clientId');
  if (!options.clientSecret) throw missing('clientSecret');
  if (options.grant === 'password' && (!options.username || !options.password)) throw missing(options.username ? 'password' : 'username');
  if (options.grant === 'refresh_token' && !options.refreshToken) throw missing('refreshToken');

  const clock = options.clock ?? systemClock;
  const ahead = options.refreshAheadMs ?? 60_000;
  let tokens: OAuthTokens | undefined = options.initialTokens?.accessToken
    ? { accessToken: options.initialTokens.accessToken, refreshToken: options.refreshToken, expiresAt: options.initialTokens.expiresAt ?? Infinity }
    : undefined;
  let refreshToken = options.refreshToken;
  let inflight: Promise<OAuthTokens> | undefined;

  const grantBody = (): Record<string, string> => {
    const base: Record<string, string> = { client_id: options.clientId, client_secret: options.clientSecret };
    if (options.scope) base['scope'] = options.scope;
    if (refreshToken) return { ...base, grant_type: 'refresh_token', refresh_token: refreshToken };
    if (options.grant === 'password') return { ...base, grant_type: 'password', username: options.username ?? '', password: options.password ?? '' };
    return { ...base, grant_type: 'client_credentials' };
  };

  const request = async (ctx: AuthContext): Promise<OAuthTokens> => {
    const body = grantBody();
    const usingRefresh = body['grant_type'] === 'refresh_token';
    try {
      const res = await ctx.send<TokenResponse>({
        method: 'POST',
        path: options.tokenUrl,
        ...(options.encoding === 'json' ? { json: body } : { form: body }),
        auth: false,
        operation: 'oauth.token',
        // A refresh-token grant can rotate the token: resending it blindly could burn the new one.
        idempotent: !usingRefresh,
        signal: ctx.signal,
      });
      const data = res.data ?? {};
      if (typeof data.access_token !== 'string' || data.access_token === '') {
        throw new ConfigError('The OAuth token endpoint answered without an access_token');
      }
      const expiresIn = typeof data.expires_in === 'number' ? data.expires_in : Number(data.expires_in ?? 1800);
      if (typeof data.refresh_token === 'string' && data.refresh_token) refreshToken = data.refresh_token;
      const next: OAuthTokens = {
        accessToken: data.access_token,
        refreshToken,
        expiresAt: clock.now() + (Number.isFinite(expiresIn) ? expiresIn : 1800) * 1000,
      };
      tokens = next;
      await options.onTokens?.(next);
      return next;
    } catch (error) {
      // A dead refresh token falls back to the original grant when it has its own credentials.
      if (usingRefresh && options.grant !== 'refresh_token') {
        refreshToken = undefined;
        return request(ctx);
      }
      throw error;
    }
  };

  const fetchTokens = (ctx: AuthContext): Promise<OAuthTokens> => {
    inflight ??= request(ctx).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    async headers(ctx) {
      const current = tokens && clock.now() < tokens.expiresAt - ahead ? tokens : await fetchTokens(ctx);
      return { authorization: `Bearer ${current.accessToken}` };
    },
    async refresh(ctx) {
      tokens = undefined;
      await fetchTokens(ctx);
      return true;
    },
    secrets: () =>
      [options.clientSecret, options.password, refreshToken, options.refreshToken, tokens?.accessToken].filter(
        (s): s is string => typeof s === 'string' && s !== '',
      ),
  };
}
