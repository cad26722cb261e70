import type { RetryMetadata } from '../core/errors.js';
import { path } from '../core/path.js';
import { redactUrl } from '../core/redact.js';
import type { JiraClient } from '../jira/client.js';
import type { CreateIssueInput } from '../jira/types.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import { decodeRecord } from '../servicenow/envelope.js';
import { SERVICENOW_TICKET_TABLES } from './servicenow-ticket-tables.js';

/** What a platform answered to a create, in one shape for both platforms. */
export interface SentTicket {
  /** ServiceNow `sys_id`, or the Jira issue id. */
  readonly id: string;
  /** ServiceNow record number (`INC0010001`). */
  readonly number: string | undefined;
  /** Jira issue key (`OPS-12`). */
  readonly key: string | undefined;
  readonly url: string | undefined;
  /** True when an ambiguous attempt was found, by correlation key, to have created the ticket. */
  readonly reconciled: boolean;
  readonly retry: RetryMetadata;
  /** The record (ServiceNow, database values) or create response (Jira) as the platform sent it. */
  readonly raw: unknown;
}

/** Whether a transport operation name (as the clients' events carry it) is a ticket create. */
export function isCreateOperation(operation: string): boolean {
  return operation === 'jira.issue.create' || Object.values(SERVICENOW_TICKET_TABLES).some((t) => operation === `${t.table}.create`);
}

/**
 * POSTs an already validated wire payload to a ServiceNow table. It goes
 * through the client's transport (not `incidents.create`) because the field
 * mapping, not the typed resource, decides the wire fields here, and the
 * result must carry retry metadata. With a `correlation_id` an ambiguous
 * failure is resolved by looking the record up on it before any re-send, as
 * `incidents.create` does; without one the create is not re-sent.
 */
export async function sendToServiceNow(
  client: ServiceNowClient,
  table: string,
  wire: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<SentTicket> {
  const correlationId = typeof wire['correlation_id'] === 'string' && wire['correlation_id'] !== '' ? wire['correlation_id'] : undefined;
  const url = path`/api/now/table/${table}`;
  const res = await client.transport.request({
    method: 'POST',
    path: url,
    json: wire,
    operation: `${table}.create`,
    signal,
    ...(correlationId
      ? {
          reconcile: client.table(table).reconcileByCorrelationId(correlationId),
        }
      : { notRetriedHint: 'pass a correlationKey (or a job) so a retry can look the ticket up before creating it again' }),
  });
  const raw = decodeRecord(res, () => ({ platform: 'servicenow', method: 'POST', url: redactUrl(new URL(url.slice(1), `${client.instanceUrl}/`)) }), ['sys_id', 'number']);
  const id = String(raw['sys_id']);
  return {
    id,
    number: String(raw['number']),
    key: undefined,
    url: `${client.instanceUrl}/${table}.do?sys_id=${encodeURIComponent(id)}`,
    reconciled: res.reconciled,
    retry: res.retry,
    raw,
  };
}

/** Creates a Jira issue through `issues.create` (ADF, checks, correlation-key reconciliation). */
export async function sendToJira(client: JiraClient, input: CreateIssueInput, signal: AbortSignal | undefined): Promise<SentTicket> {
  const created = await client.issues.create(input, signal ? { signal } : {});
  return {
    id: created.id,
    number: undefined,
    key: created.key || undefined,
    url: browseUrl(created.self, created.key),
    reconciled: created.reconciled,
    retry: created.retry,
    raw: created.raw,
  };
}

/** `https://site/browse/KEY` from the issue's `self` link; unknown behind the OAuth gateway, whose host is not the site. */
function browseUrl(self: string | undefined, key: string): string | undefined {
  if (!self || !key) return undefined;
  try {
    const url = new URL(self);
    if (url.hostname === 'api.atlassian.com') return undefined;
    const base = url.pathname.replace(/\/rest\/api\/\d+\/issue\/.*$/, '');
    return `${url.origin}${base}/browse/${encodeURIComponent(key)}`;
  } catch {
    return undefined;
  }
}
