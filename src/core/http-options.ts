import type { Dispatcher } from 'undici';
import { ConfigError, type FieldIssue } from './errors.js';

/** PEM text or bytes. */
export type Pem = string | Uint8Array;

/** TLS settings for the service's certificate and, for mutual TLS, the client's. */
export interface TlsOptions {
  /** Certificate authorities to trust instead of Node's bundled ones (a private CA, as PEM). */
  readonly ca?: Pem | readonly Pem[];
  /** The client certificate, for mutual TLS (PEM). */
  readonly cert?: Pem;
  /** The client certificate's private key (PEM). */
  readonly key?: Pem;
  /** The private key's passphrase. */
  readonly passphrase?: string;
  /**
   * `false` accepts any certificate, a forged one included: every credential the
   * client sends can then be read by whoever sits on the path. A warning is
   * printed once per client. Trust the CA with `ca` instead. @default true
   */
  readonly rejectUnauthorized?: boolean;
}

/**
 * How the Node transport reaches the service: proxy, TLS, connect timeout and
 * connection pool. Shared by every client (`http` option). Applies on Node,
 * where the SDK talks HTTP through undici; a client given a `fetch` brings its
 * own networking and refuses these options.
 *
 * @example
 * new JiraClient({ baseUrl, auth, http: { proxy: 'http://proxy.corp:3128', tls: { ca: readFileSync('corp-ca.pem') } } });
 */
export interface HttpOptions {
  /**
   * `'env'` honours `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case), a
   * URL (`http://user:pass@proxy:3128`) sends every request through that proxy,
   * `false` never uses one. @default 'env'
   */
  readonly proxy?: 'env' | string | false;
  readonly tls?: TlsOptions;
  /** How long opening a connection (TCP and TLS) may take, in ms. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** The most connections kept open per origin. @default no limit */
  readonly connections?: number;
  /** How long an idle kept-alive connection stays open, in ms (the server's `Keep-Alive` may shorten it). @default 4000 */
  readonly keepAliveTimeoutMs?: number;
  /**
   * An undici `Dispatcher` (Agent, Pool, ProxyAgent, MockAgent...) to send
   * through instead of the one built from the options above, which must then be unset.
   */
  readonly dispatcher?: Dispatcher;
}

/** The connect timeout a client uses unless `http.connectTimeoutMs` says otherwise (the ITSM config's `timeouts.connect_ms`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const KEYS = new Set(['proxy', 'tls', 'connectTimeoutMs', 'connections', 'keepAliveTimeoutMs', 'dispatcher']);
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized']);

/**
 * Checks `http` options, naming every bad field; returns them typed. `client`
 * names the client in the error.
 */
export function checkHttpOptions(value: unknown, client: string): HttpOptions | undefined {
  if (value === undefined) return undefined;
  const issues: FieldIssue[] = [];
  const issue = (field: string, rule: string, message: string) => issues.push({ field: `http${field ? `.${field}` : ''}`, rule, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issue('', 'type', 'must be an object');
  } else {
    const http = value as Record<string, unknown>;
    for (const key of Object.keys(http)) if (!KEYS.has(key)) issue(key, 'unknown', `is not an option (known: ${[...KEYS].join(', ')})`);
    checkProxy(http['proxy'], issue);
    for (const key of ['connectTimeoutMs', 'keepAliveTimeoutMs', 'connections'] as const) {
      const n = http[key];
      if (n !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n > 0)) issue(key, 'range', 'must be a whole number greater than 0');
    }
    const dispatcher = http['dispatcher'];
    if (dispatcher !== undefined) {
      if (typeof (dispatcher as { dispatch?: unknown } | null)?.dispatch !== 'function') issue('dispatcher', 'type', 'must be an undici Dispatcher (an object with a dispatch method)');
      const others = Object.keys(http).filter((k) => k !== 'dispatcher' && http[k] !== undefined);
      if (others.length) issue('dispatcher', 'conflict', `replaces the connection settings, so ${others.map((k) => `http.${k}`).join(', ')} would be ignored: configure them on the dispatcher`);
    }
    checkTls(http['tls'], issue);
  }
  if (issues.length) throw new ConfigError(`Invalid ${client} options`, issues);
  return value as HttpOptions;
}

type Report = (field: string, rule: string, message: string) => void;

function checkProxy(proxy: unknown, issue: Report): void {
  if (proxy === undefined || proxy === false || proxy === 'env') return;
  if (typeof proxy !== 'string') return issue('proxy', 'type', "must be 'env', a proxy URL or false");
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    // Not echoed: a proxy URL may carry a password.
    return issue('proxy', 'url', "is not 'env', false or an absolute URL such as http://proxy.example.com:3128");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') issue('proxy', 'url', `protocol ${url.protocol} is not http or https (SOCKS proxies are not supported)`);
}

function checkTls(tls: unknown, issue: Report): void {
  if (tls === undefined) return;
  if (tls === null || typeof tls !== 'object' || Array.isArray(tls)) return issue('tls', 'type', 'must be an object');
  const t = tls as Record<string, unknown>;
  for (const key of Object.keys(t)) if (!TLS_KEYS.has(key)) issue(`tls.${key}`, 'unknown', `is not a TLS option (known: ${[...TLS_KEYS].join(', ')})`);
  const cas = Array.isArray(t['ca']) ? t['ca'] : t['ca'] === undefined ? [] : [t['ca']];
  if (cas.some((ca) => !isPem(ca))) issue('tls.ca', 'type', 'must be PEM text or bytes, or a list of them');
  for (const key of ['cert', 'key'] as const) if (t[key] !== undefined && !isPem(t[key])) issue(`tls.${key}`, 'type', 'must be PEM text or bytes');
  if ((t['cert'] === undefined) !== (t['key'] === undefined)) issue(t['cert'] === undefined ? 'tls.cert' : 'tls.key', 'required', 'mutual TLS needs both tls.cert and tls.key');
  if (t['passphrase'] !== undefined && typeof t['passphrase'] !== 'string') issue('tls.passphrase', 'type', 'must be a string');
  if (t['rejectUnauthorized'] !== undefined && typeof t['rejectUnauthorized'] !== 'boolean') issue('tls.rejectUnauthorized', 'type', 'must be true or false');
}

function isPem(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || value instanceof Uint8Array;
}

/** Secrets the options hold (a proxy's password, a key's passphrase), for scrubbing. */
export function httpSecrets(http: HttpOptions | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  const proxies = http?.proxy === false ? [] : typeof http?.proxy === 'string' && http.proxy !== 'env' ? [http.proxy] : PROXY_VARIABLES.map((name) => env[name]);
  for (const proxy of proxies) {
    if (!proxy) continue;
    try {
      const { password } = new URL(proxy);
      if (password) out.push(decodeURIComponent(password));
    } catch {
      // An unparsable proxy variable holds no password the SDK would send.
    }
  }
  if (http?.tls?.passphrase) out.push(http.tls.passphrase);
  return out;
}

/** The environment variables `proxy: 'env'` reads. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/**
 * The proxy (`host:port`, no credentials) a request to `href` goes through, as
 * the Node transport picks it, for messages; `undefined` when none.
 */
export function proxyHostFor(http: HttpOptions | undefined, href: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (http?.dispatcher || http?.proxy === false) return undefined;
  const explicit = typeof http?.proxy === 'string' && http.proxy !== 'env' ? http.proxy : undefined;
  try {
    const target = new URL(href);
    const proxy = explicit ?? envProxy(target, env);
    return proxy ? new URL(proxy).host : undefined;
  } catch {
    return undefined;
  }
}

function envProxy(target: URL, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const http = env['http_proxy'] || env['HTTP_PROXY'];
  const proxy = target.protocol === 'https:' ? env['https_proxy'] || env['HTTPS_PROXY'] || http : http;
  if (!proxy) return undefined;
  const noProxy = (env['no_proxy'] || env['NO_PROXY'] || '').split(/[\s,]+/).filter(Boolean);
  const host = target.hostname;
  const bypassed = noProxy.some((entry) => {
    if (entry === '*') return true;
    const name = entry.replace(/:\d+$/, '').replace(/^\*?\./, '');
    return host === name || host.endsWith(`.${name}`);
  });
  return bypassed ? undefined : proxy;
}
