import { type AuthProvider, basicAuth, bearerAuth, type Clock, ConfigError, dynamicAuth, headerAuth, isAuthProvider, oauth2Auth, type OAuth2Options } from '../core/index.js';

/** Basic auth with a ServiceNow user. */
export interface ServiceNowBasicAuth {
  readonly type: 'basic';
  readonly username: string;
  readonly password: string;
}

/** A bearer token obtained elsewhere. */
export interface ServiceNowBearerAuth {
  readonly type: 'bearer';
  readonly token: string;
}

/** An API key from an inbound REST API key profile, sent as `x-sn-apikey`. */
export interface ServiceNowApiKeyAuth {
  readonly type: 'apiKey';
  readonly apiKey: string;
}

/** OAuth 2.0 against the instance's `/oauth_token.do` (form-encoded); the fields are core {@link OAuth2Options}'. */
export interface ServiceNowOAuth
  extends Pick<OAuth2Options, 'grant' | 'clientId' | 'clientSecret' | 'username' | 'password' | 'refreshToken' | 'scope' | 'onTokens'> {
  readonly type: 'oauth';
}

/** One of the built-in ways to authenticate to ServiceNow. */
export type ServiceNowAuthConfig = ServiceNowBasicAuth | ServiceNowBearerAuth | ServiceNowApiKeyAuth | ServiceNowOAuth;

/**
 * How a {@link ServiceNowClient} authenticates: a config, your own
 * {@link AuthProvider}, or an async function returning a config (called per
 * request, so a host can rotate credentials or load them per tenant without
 * rebuilding the client).
 */
export type ServiceNowAuth = ServiceNowAuthConfig | AuthProvider | (() => ServiceNowAuthConfig | Promise<ServiceNowAuthConfig>);

/** The ServiceNow OAuth token endpoint, relative to the instance. */
export const SERVICENOW_TOKEN_PATH = '/oauth_token.do';

/** Builds the auth provider for a {@link ServiceNowAuth}; a missing or malformed credential is a ConfigError naming it. */
export function serviceNowAuthProvider(auth: ServiceNowAuth | undefined, clock?: Clock): AuthProvider {
  if (auth === undefined || auth === null) {
    throw new ConfigError('Missing credentials', [{ field: 'auth', rule: 'required', message: 'is required: basic, bearer, apiKey, oauth, an AuthProvider or a function' }]);
  }
  if (isAuthProvider(auth)) return auth;
  if (typeof auth === 'function') return dynamicAuth(auth, (config) => fromConfig(config, clock));
  return fromConfig(auth, clock);
}

function fromConfig(config: ServiceNowAuthConfig, clock: Clock | undefined): AuthProvider {
  if (config === null || typeof config !== 'object') {
    throw new ConfigError('Invalid auth', [{ field: 'auth', rule: 'type', message: 'must be an object with a type' }]);
  }
  switch (config.type) {
    case 'basic':
      return basicAuth(config.username, config.password);
    case 'bearer':
      return bearerAuth(typeof config.token === 'string' ? config.token : '', 'auth.token');
    case 'apiKey':
      return headerAuth('x-sn-apikey', config.apiKey, 'auth.apiKey');
    case 'oauth':
      if (!['password', 'client_credentials', 'refresh_token'].includes(config.grant)) {
        throw new ConfigError('Invalid auth', [{ field: 'auth.grant', rule: 'enum', message: 'must be password, client_credentials or refresh_token' }]);
      }
      return oauth2Auth({
        tokenUrl: SERVICENOW_TOKEN_PATH,
        grant: config.grant,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        encoding: 'form',
        ...(config.username === undefined ? {} : { username: config.username }),
        ...(config.password === undefined ? {} : { password: config.password }),
        ...(config.refreshToken === undefined ? {} : { refreshToken: config.refreshToken }),
        ...(config.scope === undefined ? {} : { scope: config.scope }),
        ...(config.onTokens === undefined ? {} : { onTokens: config.onTokens }),
        ...(clock === undefined ? {} : { clock }),
      });
    default:
      throw new ConfigError('Invalid auth', [
        { field: 'auth.type', rule: 'enum', message: `must be basic, bearer, apiKey or oauth, got ${JSON.stringify(String((config as { type?: unknown }).type))}` },
      ]);
  }
}
