/** Why a connection could not be used, as {@link ConnectionError.reason} says it. */
export type ConnectionFailureReason =
  /** Nothing accepts connections at the address (ECONNREFUSED). */
  | 'refused'
  /** The host name does not resolve (ENOTFOUND). */
  | 'dns'
  /** No connection within `http.connectTimeoutMs`. */
  | 'connect-timeout'
  /** The server's certificate is not trusted, expired or for another name. */
  | 'tls-certificate'
  /** The server turned the client's certificate down, or wanted one. */
  | 'tls-client-certificate'
  /** http spoken to a TLS port or TLS to a plain one. */
  | 'protocol'
  /** The proxy refused the tunnel, or could not be reached. */
  | 'proxy';

/** How a connection failure is reported: what failed, the option that fixes it, and whether trying again can help. */
export interface ConnectionFailure {
  readonly reason: ConnectionFailureReason;
  /** The option to look at (`instanceUrl`, `http.proxy`, `http.tls.ca`...). */
  readonly option: string;
  readonly hint: string;
  readonly retryable: boolean;
  /** Whether the request may have reached the server. */
  readonly maybeSent: boolean;
}

/** What the transport knows about where it was connecting. */
export interface ConnectionContext {
  /** The request URL. */
  readonly href: string;
  /** The option that set the base URL (`instanceUrl`, `baseUrl`). */
  readonly urlOption: string;
  /** The proxy in use for this URL, when one is (`host:port`), never with its credentials. */
  readonly proxy: string | undefined;
  /** Whether a refused connection or an unknown host is retried (`RetryPolicyOptions.retryRefused`). */
  readonly retryRefused: boolean;
}

const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);
const SERVER_CERT_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL']);
const CLIENT_CERT_ALERT = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(?:BAD_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REQUIRED|CERTIFICATE_REVOKED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|ACCESS_DENIED|UNSUPPORTED_CERTIFICATE)$/;
const PROXY_REFUSAL = /Proxy response \((\d{3})\) !== 200/;

/**
 * Reads a connection failure out of `error` (undici's or fetch's, whose cause
 * holds undici's): `undefined` when it is not one, and a plain network failure
 * is reported.
 */
export function classifyConnectionFailure(error: unknown, ctx: ConnectionContext): ConnectionFailure | undefined {
  const found = find(error);
  if (!found) return undefined;
  const { code, message, cause } = found;
  const url = new URL(ctx.href);
  const at = url.host;
  const via = ctx.proxy ? ` through the proxy ${ctx.proxy}` : '';
  const proxyRefusal = PROXY_REFUSAL.exec(message);
  if (proxyRefusal) {
    const status = Number(proxyRefusal[1]);
    const proxy = ctx.proxy ? `The proxy ${ctx.proxy}` : 'The proxy';
    const hint =
      status === 407
        ? `${proxy} wants credentials (407): put them in the proxy URL (http://user:password@proxy:3128) of http.proxy or HTTPS_PROXY`
        : `${proxy} refused to open a tunnel to ${at} (status ${status}): check http.proxy, that the proxy allows ${url.hostname}, or list the host in NO_PROXY`;
    return { reason: 'proxy', option: 'http.proxy', hint, retryable: status >= 500, maybeSent: false };
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
    const port = (cause as { port?: unknown }).port;
    const host = (cause as { hostname?: unknown }).hostname;
    const atProxy = ctx.proxy !== undefined && (code === 'ECONNREFUSED' ? String(port) === proxyPort(ctx.proxy) && String(port) !== portOf(url) : host === ctx.proxy.replace(/:\d+$/, ''));
    if (atProxy) {
      return { reason: 'proxy', option: 'http.proxy', hint: `The proxy ${ctx.proxy} ${code === 'ECONNREFUSED' ? 'refused the connection' : 'has a host name that does not resolve'}: check http.proxy or HTTPS_PROXY/HTTP_PROXY`, retryable: ctx.retryRefused, maybeSent: false };
    }
    return code === 'ECONNREFUSED'
      ? { reason: 'refused', option: ctx.urlOption, hint: `Nothing accepts connections at ${at}: check the host and port of ${ctx.urlOption}, and that the service is running`, retryable: ctx.retryRefused, maybeSent: false }
      : { reason: 'dns', option: ctx.urlOption, hint: `The host name ${url.hostname} does not resolve: check ${ctx.urlOption}${via ? '' : ' (behind a corporate proxy, set http.proxy or HTTPS_PROXY)'}`, retryable: ctx.retryRefused, maybeSent: false };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { reason: 'connect-timeout', option: 'http.connectTimeoutMs', hint: `No connection to ${at}${via} within http.connectTimeoutMs: a firewall dropping the packets, a wrong host or port in ${ctx.urlOption}, or a proxy needed (http.proxy)`, retryable: true, maybeSent: false };
  }
  if (UNTRUSTED.has(code)) {
    return { reason: 'tls-certificate', option: 'http.tls.ca', hint: `The certificate of ${at} is not signed by a trusted authority (${code}): for a private CA, pass its certificate as http.tls.ca`, retryable: false, maybeSent: false };
  }
  if (SERVER_CERT_DATES.has(code) || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const why = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `is for another host name: use the name the certificate is for in ${ctx.urlOption}` : `is outside its validity dates (${code}): the service must renew it, or the clock of this machine is wrong`;
    return { reason: 'tls-certificate', option: ctx.urlOption, hint: `The certificate of ${at} ${why}`, retryable: false, maybeSent: false };
  }
  if (CLIENT_CERT_ALERT.test(code)) {
    return { reason: 'tls-client-certificate', option: 'http.tls.cert', hint: `${at} turned the client certificate down (${code}): check http.tls.cert and http.tls.key (missing, expired, or not signed by a CA the server trusts)`, retryable: false, maybeSent: false };
  }
  if (NOT_TLS.has(code)) {
    return { reason: 'protocol', option: ctx.urlOption, hint: `${at} does not speak TLS: use http:// in ${ctx.urlOption}, or the service's https port`, retryable: false, maybeSent: false };
  }
  if (code === 'UND_ERR_SOCKET' && /other side closed/.test(message) && (cause as { socket?: { bytesRead?: unknown } }).socket?.bytesRead === 0) {
    // The server closed a connection without a byte of answer. A server restarting does that too,
    // so this is retried like any network failure; the hint says what it means when it persists.
    return url.protocol === 'http:'
      ? { reason: 'protocol', option: ctx.urlOption, hint: `${at} closed the connection without answering; if that persists and it speaks https, use https:// in ${ctx.urlOption}`, retryable: true, maybeSent: true }
      : { reason: 'tls-client-certificate', option: 'http.tls.cert', hint: `${at} closed the connection after the TLS handshake without answering; if that persists, it likely requires a client certificate and the one sent is missing, expired or untrusted: check http.tls.cert and http.tls.key`, retryable: true, maybeSent: true };
  }
  if (code.startsWith('HPE_') && url.protocol === 'http:') {
    return { reason: 'protocol', option: ctx.urlOption, hint: `${at} did not answer in HTTP (${code}): if it speaks https, use https:// in ${ctx.urlOption}`, retryable: false, maybeSent: true };
  }
  return undefined;
}

/** The first error in the cause chain with a string `code`, or a proxy refusal, with its message. */
function find(error: unknown): { code: string; message: string; cause: object } | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? '');
    if (typeof code === 'string' || PROXY_REFUSAL.test(message)) return { code: typeof code === 'string' ? code : '', message, cause: e };
  }
  return undefined;
}

function proxyPort(proxy: string): string {
  return /:(\d+)$/.exec(proxy)?.[1] ?? '80';
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}
