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
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretKey(key)) parsed.searchParams.set(key, REDACTED);
  }
  return parsed.toString();
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
 * Replaces every occurrence of known secret values in a text. Used on error
 * messages built from server answers, which may echo what we sent.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
