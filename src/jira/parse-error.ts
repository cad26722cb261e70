import type { FieldIssue, PlatformErrorDetail } from '../core/index.js';
import { publicFieldName } from './mapper.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_TEXT = 500;

/**
 * Reads a Jira error body into a {@link PlatformErrorDetail}:
 *
 * - the `ErrorCollection` envelope `{errorMessages: [...], errors: {field: message}}`:
 *   the first message is the headline, the rest the detail, and every field
 *   error becomes a {@link FieldIssue} under its camelCase name (`issuetype` -> `issueType`)
 *   with rule `server`;
 * - `application/problem+json` (`{title, detail}`, e.g. the 415 of `search/jql`);
 * - Jira Service Management's `{errorMessage, i18nErrorMessage: {i18nKey, parameters}}`
 *   (`/rest/servicedeskapi`): the message is the headline, the i18n key the detail;
 * - the older `{message, "status-code"}` shape;
 * - a text or HTML body (the 401 of `/myself`), reduced to its text.
 *
 * Returns `undefined` when the body says nothing usable.
 */
export function parseJiraError(body: unknown): PlatformErrorDetail | undefined {
  if (typeof body === 'string') return fromText(body);
  if (!isObject(body)) return undefined;
  const messages = Array.isArray(body['errorMessages']) ? body['errorMessages'].filter((m): m is string => typeof m === 'string' && m !== '') : [];
  const issues: FieldIssue[] = isObject(body['errors'])
    ? Object.entries(body['errors']).map(([field, message]) => ({ field: publicFieldName(field), rule: 'server', message: String(message) }))
    : [];
  if (messages.length || issues.length) {
    const message = messages[0] ?? issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return {
      message,
      ...(messages.length > 1 ? { detail: messages.slice(1).join('; ') } : {}),
      ...(issues.length ? { issues } : {}),
    };
  }
  const jsm = typeof body['errorMessage'] === 'string' && body['errorMessage'] !== '' ? body['errorMessage'] : undefined;
  if (jsm) {
    const i18n = isObject(body['i18nErrorMessage']) && typeof body['i18nErrorMessage']['i18nKey'] === 'string' ? body['i18nErrorMessage']['i18nKey'] : undefined;
    return { message: jsm, ...(i18n ? { detail: i18n } : {}) };
  }
  const title = typeof body['title'] === 'string' ? body['title'] : undefined;
  const detail = typeof body['detail'] === 'string' ? body['detail'] : undefined;
  const message = typeof body['message'] === 'string' ? body['message'] : undefined;
  if (title || detail || message) {
    return { message: (message ?? title ?? detail) as string, ...(title && detail ? { detail } : {}) };
  }
  return undefined;
}

function fromText(text: string): PlatformErrorDetail | undefined {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain ? { message: plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}...` : plain } : undefined;
}
