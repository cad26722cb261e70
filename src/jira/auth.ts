import { type AuthProvider, basicAuth, bearerAuth, type Clock, ConfigError, dynamicAuth, encodeSegment, isAuthProvider, oauth2Auth, type OAuthTokens } from '../core/index.js';

/** Jira Cloud: Atlassian account email and API token, sent as HTTP Basic. */
export interface JiraBasicAuth {
  readonly type: 'basic';
  readonly email: string;
  readonly apiToken: string;
}

/** Jira Data Center: a personal access token, sent as `Authorization: Bearer`. */
export interface JiraBearerAuth {
  readonly type: 'bearer';
  readonly token: string;
}

/**
 * Jira Cloud through OAuth 2.0 (3LO). Calls go through the Atlassian gateway
 * (`https://api.atlassian.com/ex/jira/{cloudId}`), never the site URL. With a
 * refresh token, client id and secret, the access token is refreshed ahead of
 * expiry and after a 401 (one refresh in flight however many calls wait).
 * Atlassian rotates refresh tokens: persist the new one from `onTokens`, the old one stops working.
 */
export interface JiraOAuth {
  readonly type: 'oauth';
  /** The site's cloud id (from `GET https://api.atlassian.com/oauth/token/accessible-resources`). */
  readonly cloudId: string;
  /** The current access token. */
  readonly accessToken: string;
  /** When `accessToken` expires (epoch ms); without it, it is used until a 401. */
  readonly expiresAt?: number;
  /** Needs the `offline_access` scope; with `clientId` and `clientSecret` enables refresh. */
  readonly refreshToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Called with every new token set: persist `refreshToken`, it rotates. */
  readonly onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  /** The token endpoint. @default 'https://auth.atlassian.com/oauth/token' */
  readonly tokenUrl?: string;
  /** The API gateway. @default 'https://api.atlassian.com' */
  readonly gatewayUrl?: string;
}

/** An auth configuration as data. */
export type JiraAuthConfig = JiraBasicAuth | JiraBearerAuth | JiraOAuth;

/**
 * How a {@link JiraClient} authenticates: a configuration, your own
 * {@link AuthProvider}, or a function that returns a configuration per request
 * (per tenant, or after rotation; an unchanged configuration reuses the
 * previous provider so OAuth token caches survive). With a function, OAuth
 * needs `baseUrl` set to the gateway URL, since the cloud id is not known up front.
 */
export type JiraAuth = JiraAuthConfig | AuthProvider | (() => JiraAuthConfig | Promise<JiraAuthConfig>);

/** Atlassian's OAuth 2.0 token endpoint. */
export const ATLASSIAN_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';
/** Atlassian's API gateway for OAuth 2.0 (3LO) calls. */
export const ATLASSIAN_GATEWAY_URL = 'https://api.atlassian.com';

function missing(field: string, message = 'is required (a non-empty string)'): ConfigError {
  return new ConfigError('Missing credentials', [{ field, rule: 'required', message }]);
}

/** Builds the {@link AuthProvider} for a Jira auth option; missing credentials throw a {@link ConfigError} naming the field. */
export function jiraAuthProvider(auth: JiraAuth, clock?: Clock): AuthProvider {
  if (isAuthProvider(auth)) return auth;
  if (typeof auth === 'function') return dynamicAuth(auth, (config) => fromConfig(config, clock));
  return fromConfig(auth, clock);
}

function fromConfig(auth: JiraAuthConfig, clock: Clock | undefined): AuthProvider {
  if (typeof auth !== 'object' || auth === null) throw missing('auth', 'an auth configuration ({type: "basic" | "bearer" | "oauth", ...}) is required');
  switch (auth.type) {
    case 'basic':
      return basicAuth(auth.email, auth.apiToken, { user: 'auth.email', secret: 'auth.apiToken' });
    case 'bearer':
      return bearerAuth(auth.token, 'auth.token');
    case 'oauth':
      return oauthProvider(auth, clock);
    default:
      throw new ConfigError('Invalid auth: unknown type', [{ field: 'auth.type', rule: 'enum', message: 'must be "basic", "bearer" or "oauth"' }]);
  }
}

function oauthProvider(auth: JiraOAuth, clock: Clock | undefined): AuthProvider {
  if (!auth.cloudId) throw missing('auth.cloudId');
  if (!auth.accessToken) throw missing('auth.accessToken');
  if (!auth.refreshToken) return bearerAuth(auth.accessToken, 'auth.accessToken');
  return oauth2Auth({
    tokenUrl: auth.tokenUrl ?? ATLASSIAN_TOKEN_URL,
    grant: 'refresh_token',
    clientId: auth.clientId ?? '',
    clientSecret: auth.clientSecret ?? '',
    refreshToken: auth.refreshToken,
    encoding: 'json',
    initialTokens: { accessToken: auth.accessToken, ...(auth.expiresAt === undefined ? {} : { expiresAt: auth.expiresAt }) },
    ...(auth.onTokens ? { onTokens: auth.onTokens } : {}),
    ...(clock ? { clock } : {}),
  });
}

/** The base URL calls go to for an OAuth configuration: `{gateway}/ex/jira/{cloudId}`. */
export function oauthBaseUrl(auth: JiraOAuth): string {
  if (!auth.cloudId) throw missing('auth.cloudId');
  return `${(auth.gatewayUrl ?? ATLASSIAN_GATEWAY_URL).replace(/\/+$/, '')}/ex/jira/${encodeSegment(auth.cloudId, 'auth.cloudId')}`;
}
