import type { RetryMetadata } from '../core/index.js';
import type { CreateIssueInput, JiraClient } from '../jira/index.js';
import type { ServiceNowClient, TableDeclaration } from '../servicenow/index.js';
import { SERVICENOW_TICKET_TABLES } from './servicenow-ticket-tables.js';

/** What a platform answered to a create, in one shape for both platforms: a ServiceNow number or a Jira key, always there. */
export type SentTicket = SentTicketCommon &
  ({ readonly platform: 'servicenow'; readonly number: string; readonly key: undefined } | { readonly platform: 'jira'; readonly number: undefined; readonly key: string });

interface SentTicketCommon {
  /** ServiceNow `sys_id`, or the Jira issue id. */
  readonly id: string;
  readonly url: string | undefined;
  /** False when a ticket with the correlation key already existed and was returned instead of created. */
  readonly created: boolean;
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
 * Creates a ticket from an already validated wire payload through the
 * Table API (as `client.table(table).create`, insisting on the table's
 * identity columns, `sys_id` and `number`): the field mapping, not a typed
 * resource, decides the wire fields here. With a `correlation_id` the
 * create happens once per key, as `incidents.create` does.
 */
export async function sendToServiceNow(
  client: ServiceNowClient,
  declaration: TableDeclaration,
  wire: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<SentTicket> {
  const { table } = declaration;
  const record = await client.table(table, { identity: declaration.identity }).create(wire, {
    ...(signal ? { signal } : {}),
    notRetriedHint: 'pass a correlationKey (or a job) so a retry can look the ticket up before creating it again',
  });
  return {
    platform: 'servicenow',
    id: record.sysId,
    // The decoder has checked it: a non-empty string (no display values were asked for).
    number: String(record.raw['number']),
    key: undefined,
    url: `${client.instanceUrl}/${table}.do?sys_id=${encodeURIComponent(record.sysId)}`,
    created: record.created,
    reconciled: record.reconciled,
    retry: record.retry,
    raw: record.raw,
  };
}

/** Creates a Jira issue through `issues.create` (ADF, checks, correlation-key reconciliation). */
export async function sendToJira(client: JiraClient, input: CreateIssueInput, signal: AbortSignal | undefined): Promise<SentTicket> {
  const created = await client.issues.create(input, signal ? { signal } : {});
  return {
    platform: 'jira',
    id: created.id,
    number: undefined,
    key: created.key,
    url: browseUrl(created.self, created.key),
    created: created.created,
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
