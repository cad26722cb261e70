/** The text every redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-sn-apikey', 'x-api-key']);
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|apikey|credential|authorization|cookie|session|private[-_]?key/i;

const SECRET_QUERY = /pass|secret|token|api[-_]?key|apikey|credential|authorization|cookie|session|private/i;

/** Whether a field, header or query-parameter name usually holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_HEADERS.has(key.toLowerCase()) || SECRET_KEY.test(key);
}

/** Whether a query string (with or without its `?`) has a parameter name that may hold a secret. */
export function hasSecretQuery(search: string): boolean {
  return search !== '' && SECRET_QUERY.test(search);
}

/** A URL with userinfo and secret-looking query values replaced by {@link REDACTED}. */
export function redactUrl(url: string | URL): string {
  // Fast path for the common case: nothing in the URL can be a secret.
  if (url instanceof URL && !url.username && !url.password && !hasSecretQuery(url.search)) return url.href;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable url]';
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const [key, value] of [...parsed.searchParams.entries()]) {
    if (isSecretKey(key)) parsed.searchParams.set(key, REDACTED);
    else if (key === 'sysparm_query' || key === 'jql') parsed.searchParams.set(key, redactQueryText(value));
  }
  return parsed.toString();
}

const CONDITION = /^(\s*[A-Za-z0-9_.]+?)(\s*(?:!=|>=|<=|=|!~|~)\s*|\s*(?:NOT ?)?(?:LIKE|IN|STARTSWITH|ENDSWITH)\s*)(.*)$/s;

/**
 * A ServiceNow encoded query (`a=1^u_api_token=x`) or a JQL text with the
 * values of secret-looking fields replaced (ServiceNow clauses split on `^`,
 * JQL ones on AND/OR).
 */
function redactQueryText(query: string): string {
  return query
    .split(/(\^|\s+AND\s+|\s+OR\s+)/i)
    .map((part) => {
      const m = CONDITION.exec(part);
      return m && isSecretKey((m[1] ?? '').trim()) ? `${m[1]}${m[2]}${REDACTED}` : part;
    })
    .join('');
}

/** Headers as a plain object with secret ones replaced by {@link REDACTED}. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [key, value] of entries) out[key.toLowerCase()] = isSecretKey(key) ? REDACTED : value;
  return out;
}

/**
 * A deep copy of a JSON-like value with every secret-looking key's value
 * replaced, for logs and events that must show a payload's shape.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isSecretKey(key) ? REDACTED : redactValue(v, depth + 1);
  return out;
}

/**
 * The spellings a secret can take on the wire and in echoes: as is,
 * URL-encoded (upper- and lower-case escapes), form-encoded (`+` for spaces),
 * JSON-escaped, and base64 (standard and URL-safe, with and without padding).
 */
export function secretForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = new Set([
    secret,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    uri.replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  const base64 = base64Utf8(secret);
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ''));
  forms.add(base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= 4);
}

/** Forms per secret, longest first (so a form containing another is replaced whole); cached, since URLs with a query are scrubbed on every request. */
const FORMS = new Map<string, readonly string[]>();

function sortedForms(secret: string): readonly string[] {
  let forms = FORMS.get(secret);
  if (!forms) {
    // Rotating tokens would grow it without end: a small cache, emptied when full.
    if (FORMS.size >= 64) FORMS.clear();
    forms = secretForms(secret).sort((a, b) => b.length - a.length);
    FORMS.set(secret, forms);
  }
  return forms;
}

/**
 * Replaces every occurrence of known secret values, in any of their
 * {@link secretForms}, in a text. Used on error messages, headers and URLs
 * built from server answers, which may echo what we sent.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of sortedForms(secret)) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** Headers as a plain object: secret-named ones replaced, every value scrubbed of known secrets (a `WWW-Authenticate` may echo one). */
export function scrubHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = isSecretKey(key) ? REDACTED : secrets.length ? scrubSecrets(value, secrets) : value;
  return out;
}

/** Base64 of a text's UTF-8 bytes (what HTTP Basic credentials are). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
