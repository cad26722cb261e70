import type { RetryMetadata } from '../core/index.js';
import type { AdfDoc } from './adf.js';

/** Jira Cloud (REST v3, ADF bodies, enhanced search) or Data Center (REST v2, wiki-markup strings, `startAt` search). */
export type JiraDeployment = 'cloud' | 'datacenter';

/** Rich text a caller hands in: plain text (converted to ADF on Cloud) or an ADF document (checked, then sent). */
export type JiraRichText = string | AdfDoc;

/** Fields of a new issue, in camelCase; the mapper turns them into Jira's wire fields. */
export interface CreateIssueInput {
  /** The project key (`OPS`), or its numeric id. */
  readonly projectKey: string;
  /** The issue type by name (`Incident`) or numeric id (`10001`). */
  readonly issueType: string;
  /** 1 to 255 characters. */
  readonly summary: string;
  /** Plain text (ADF on Cloud, a string on Data Center) or an ADF document. */
  readonly description?: JiraRichText;
  /** By name (`High`) or numeric id. */
  readonly priority?: string;
  /** Labels: no spaces, at most 255 characters each. */
  readonly labels?: readonly string[];
  /** Component names or numeric ids. */
  readonly components?: readonly string[];
  /** The assignee's account id on Cloud; the user name on Data Center. */
  readonly assigneeAccountId?: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate?: string;
  /** The parent issue's key or id (sub-tasks, child issues). */
  readonly parent?: string;
  /** Custom fields by id (`customfield_10010`), passed through as they are. */
  readonly customFields?: Readonly<Record<string, unknown>>;
  /**
   * A caller-chosen key that makes the create safe to retry: it is stored on
   * the issue as the entity property `itsmkit.correlation` and as the label
   * `itsmkit-corr-<key>`, and an ambiguous failure is resolved by searching for
   * it before sending again. Letters, digits, `.`, `_` and `-`, at most 200.
   */
  readonly correlationKey?: string;
}

/** Fields to change on an issue; `null` clears a field. Only the fields given are sent. */
export interface UpdateIssueInput {
  readonly summary?: string;
  readonly description?: JiraRichText | null;
  readonly issueType?: string;
  readonly priority?: string | null;
  /** Replaces the labels. */
  readonly labels?: readonly string[];
  /** Replaces the components. */
  readonly components?: readonly string[];
  readonly assigneeAccountId?: string | null;
  readonly dueDate?: string | null;
  readonly customFields?: Readonly<Record<string, unknown>>;
}

/** A name with an id, as Jira gives statuses, issue types, priorities and resolutions. */
export interface JiraNamed {
  readonly id: string | undefined;
  readonly name: string;
}

/** A workflow status and its category (`new`, `indeterminate`, `done`). */
export interface JiraStatus extends JiraNamed {
  readonly category: string | undefined;
}

/** A user as Jira references one. */
export interface JiraUser {
  /** Cloud account id; on Data Center the user name. */
  readonly accountId: string | undefined;
  readonly displayName: string | undefined;
  readonly emailAddress: string | undefined;
}

/** An issue, mapped to camelCase; `fields` and `raw` keep everything Jira sent. */
export interface JiraIssue {
  readonly id: string;
  readonly key: string;
  readonly self: string | undefined;
  readonly projectKey: string | undefined;
  readonly summary: string | undefined;
  /** The description as plain text (ADF read back on Cloud, wiki markup on Data Center). */
  readonly description: string | undefined;
  readonly issueType: JiraNamed | undefined;
  readonly status: JiraStatus | undefined;
  readonly priority: JiraNamed | undefined;
  readonly resolution: JiraNamed | undefined;
  readonly labels: readonly string[];
  readonly components: readonly JiraNamed[];
  readonly assignee: JiraUser | undefined;
  readonly dueDate: string | undefined;
  readonly parentKey: string | undefined;
  readonly created: Date | undefined;
  readonly updated: Date | undefined;
  /** Every field as Jira sent it (custom fields included), by wire name. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The issue exactly as Jira sent it. */
  readonly raw: unknown;
}

/** What a create returns. */
export interface CreatedIssue {
  readonly id: string;
  readonly key: string;
  readonly self: string | undefined;
  /** False when an issue with the correlation key already existed and was returned instead of created. */
  readonly created: boolean;
  /** True when an ambiguous attempt was found (by correlation key) to have created the issue. */
  readonly reconciled: boolean;
  readonly retry: RetryMetadata;
  readonly raw: unknown;
}

/** A transition available from an issue's current status. */
export interface JiraTransition {
  readonly id: string;
  readonly name: string;
  /** The status it leads to. */
  readonly to: JiraStatus | undefined;
  readonly raw: unknown;
}

/** A comment on an issue. */
export interface JiraComment {
  readonly id: string;
  /** The body as plain text. */
  readonly body: string;
  readonly author: JiraUser | undefined;
  readonly created: Date | undefined;
  readonly updated: Date | undefined;
  readonly raw: unknown;
}
