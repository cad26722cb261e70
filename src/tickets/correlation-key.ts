/** Longest derived key: fits ServiceNow's `correlation_id` rule (100) and a Jira label (`itsmkit-corr-` + key). */
const MAX_KEY = 96;
const UNSAFE = /[^A-Za-z0-9._-]/g;

/**
 * The correlation key TicketService uses when a job creates a ticket and the
 * caller gave none: `job-<jobId>.<name>`, where `name` is the template name
 * (or `<platform>-<type>` for a plain create). The same job and template
 * always give the same key, so when a create fails ambiguously (the ticket
 * may have landed), the retry looks the ticket up by the key instead of
 * opening a second one. The key is stored on the ticket (ServiceNow
 * `correlation_id`, Jira label and entity property), so hosts can also find
 * it later.
 *
 * Keys use only letters, digits, `.`, `_` and `-` (valid as a ServiceNow
 * `correlation_id` and in a Jira label). When the raw key had other
 * characters or was longer than 96, the safe prefix is followed by an 8-digit
 * hash of the raw key, so distinct inputs stay distinct.
 *
 * @example
 * deriveCorrelationKey('4711', 'jira-job-failure-bug'); // 'job-4711.jira-job-failure-bug'
 */
export function deriveCorrelationKey(jobId: string, name: string): string {
  const raw = `job-${jobId}.${name}`;
  const safe = raw.replace(UNSAFE, '-');
  if (safe === raw && raw.length <= MAX_KEY) return raw;
  return `${safe.slice(0, MAX_KEY - 9)}-${fnv1a(raw)}`;
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: small, stable, no crypto needed. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
