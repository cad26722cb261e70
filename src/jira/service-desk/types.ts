/** The records of Jira Service Management (`/rest/servicedeskapi`), camelCase and typed. */
import type { RetryMetadata } from '../../core/index.js';

/**
 * A JSM date (`{iso8601, jira, friendly, epochMillis}` on the wire). `date`
 * is the instant; `iso8601` keeps the site's offset (`2015-10-08T14:42:00+0700`);
 * `friendly` is the site's wording for people (`Today 14:42 PM`), not for parsing.
 */
export interface JsmDate {
  readonly date: Date;
  readonly epochMillis: number;
  readonly iso8601: string;
  readonly friendly: string | undefined;
}

/** A JSM duration (`{millis, friendly}`); negative when an SLA is breached. */
export interface JsmDuration {
  readonly millis: number;
  /** The site's wording (`3h 233m`). */
  readonly friendly: string | undefined;
}

/**
 * One page of a JSM list (`{size, start, limit, isLastPage, values, _links}`).
 * Ask for the next one with `start: nextStart`; `nextStart` is `undefined` on the last page.
 */
export interface JsmPage<T> {
  readonly values: readonly T[];
  /** The index of the first value in the whole list. */
  readonly start: number;
  /** The page size the server applied (it may lower the one asked for). */
  readonly limit: number;
  readonly isLastPage: boolean;
  /** `start` of the next page, or `undefined` on the last one. */
  readonly nextStart: number | undefined;
  /** Attempts and time of this page's request. */
  readonly retry: RetryMetadata;
}

/** A person as JSM returns one (an agent, a customer, an approver). */
export interface JsmUser {
  /** Cloud: the account id. Data Center has none (`undefined`). */
  readonly accountId: string | undefined;
  /** Data Center: the user name (Cloud sends a legacy value or nothing). */
  readonly name: string | undefined;
  /** Data Center: the user key. */
  readonly key: string | undefined;
  readonly displayName: string | undefined;
  /** `undefined` when the profile hides it. */
  readonly emailAddress: string | undefined;
  readonly active: boolean;
}

/** A service desk: a JSM project. */
export interface ServiceDesk {
  /** The service desk id (not the project id): what requests and request types take. */
  readonly id: string;
  readonly projectId: string;
  readonly projectKey: string;
  readonly projectName: string;
  /** The desk exactly as JSM sent it. */
  readonly raw: unknown;
}

/** A request type of a service desk (what a customer picks on the portal). */
export interface RequestType {
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly helpText: string | undefined;
  readonly serviceDeskId: string;
  /** The Jira issue type requests of this type are created as. */
  readonly issueTypeId: string | undefined;
  readonly portalId: string | undefined;
  readonly groupIds: readonly string[];
  readonly raw: unknown;
}

/** A value a select-like field accepts (`validValues`), with nested ones for cascading selects. */
export interface RequestTypeFieldValue {
  /** What to send (`{ id: value }` or `value`, per the field's Jira schema). */
  readonly value: string;
  readonly label: string;
  readonly children: readonly RequestTypeFieldValue[];
}

/** The Jira schema of a request type field (`jiraSchema`). */
export interface JiraFieldSchema {
  /** `string`, `user`, `array`, `option`, `priority`... */
  readonly type: string;
  /** For arrays, the type of the items. */
  readonly items: string | undefined;
  /** A system field's name (`summary`, `description`). */
  readonly system: string | undefined;
  /** A custom field's type key (`com.atlassian.jira.plugin.system.customfieldtypes:select`). */
  readonly custom: string | undefined;
  readonly customId: number | undefined;
}

/** A field of a request type: what `requestFieldValues` takes under `fieldId`. */
export interface RequestTypeField {
  /** The Jira field id (`summary`, `customfield_10010`): the key in `requestFieldValues`. */
  readonly fieldId: string;
  /** The label customers see, which may differ from the Jira field name (`What do you need?`). */
  readonly name: string;
  readonly description: string | undefined;
  /** A request cannot be created without it. */
  readonly required: boolean;
  /** Shown on the portal; hidden fields are filled in by JSM (a preset value) or by agents. */
  readonly visible: boolean;
  /** The values a select, radio or checkbox field takes; empty for free-form fields. */
  readonly validValues: readonly RequestTypeFieldValue[];
  readonly jiraSchema: JiraFieldSchema | undefined;
}

/** The fields of a request type and what the caller may do when raising one. */
export interface RequestTypeFields {
  readonly fields: readonly RequestTypeField[];
  /** Whether the caller may use `raiseOnBehalfOf` (agents may; customers may not). */
  readonly canRaiseOnBehalfOf: boolean;
  /** Whether the caller may add `requestParticipants`. */
  readonly canAddRequestParticipants: boolean;
}

/** A request's status at a point in time (its current status, or one entry of its history). */
export interface RequestStatus {
  /** The status name as customers see it (`Waiting for support`). */
  readonly status: string;
  /** `NEW`, `INDETERMINATE`, `DONE` (or `UNDEFINED`); Cloud only. */
  readonly statusCategory: string | undefined;
  readonly statusDate: JsmDate | undefined;
}

/** One field value of a request, as JSM shows it. */
export interface RequestFieldValue {
  readonly fieldId: string;
  readonly label: string | undefined;
  /** The value as Jira stores it (a string, an object, a list...). */
  readonly value: unknown;
}

/** A customer request: a Jira issue raised through a service desk. */
export interface CustomerRequest {
  /** The issue id. */
  readonly issueId: string;
  /** The issue key (`ITSM-12`): every other request method takes it. */
  readonly issueKey: string;
  readonly serviceDeskId: string;
  readonly requestTypeId: string;
  /** Cloud: the summary; otherwise read it from `fieldValues`. */
  readonly summary: string | undefined;
  readonly createdDate: JsmDate | undefined;
  readonly reporter: JsmUser | undefined;
  readonly currentStatus: RequestStatus | undefined;
  readonly fieldValues: readonly RequestFieldValue[];
  /** The portal page customers see (`_links.web`). */
  readonly portalUrl: string | undefined;
  /** The agent view (`_links.agent`, Cloud). */
  readonly agentUrl: string | undefined;
  readonly raw: unknown;
}

/** A comment on a request: a public reply (customers see it) or an internal note (agents only). */
export interface RequestComment {
  readonly id: string;
  /** The text (wiki markup on the wire). */
  readonly body: string;
  /** True for a reply customers see, false for an internal note. */
  readonly public: boolean;
  readonly author: JsmUser | undefined;
  readonly created: JsmDate | undefined;
  readonly raw: unknown;
}

/** One cycle of an SLA (a completed one, or the one running now). */
export interface SlaCycle {
  readonly startTime: JsmDate | undefined;
  /** When a completed cycle stopped; `undefined` for the ongoing one. */
  readonly stopTime: JsmDate | undefined;
  /** When the goal is (or was) breached; absent for a paused cycle. */
  readonly breachTime: JsmDate | undefined;
  readonly breached: boolean;
  /** Only the ongoing cycle: the SLA clock is paused (e.g. waiting for the customer). */
  readonly paused: boolean | undefined;
  /** Only the ongoing cycle: inside the SLA's working hours now. */
  readonly withinCalendarHours: boolean | undefined;
  readonly goalDuration: JsmDuration | undefined;
  readonly elapsedTime: JsmDuration | undefined;
  /** Negative once breached. */
  readonly remainingTime: JsmDuration | undefined;
}

/** An SLA metric of a request (`Time to first response`, `Time to resolution`). */
export interface Sla {
  /** The metric id, read from its link (`.../sla/10030`), when the answer has one. */
  readonly id: string | undefined;
  readonly name: string;
  readonly completedCycles: readonly SlaCycle[];
  /** `undefined` when no cycle is running. */
  readonly ongoingCycle: SlaCycle | undefined;
  readonly raw: unknown;
}

/** An approval's outcome, or one approver's: open enum (`pending` until decided). */
export type ApprovalDecision = 'approved' | 'declined' | 'pending' | (string & {});

/** An approver of an approval and what they decided. */
export interface Approver {
  readonly approver: JsmUser | undefined;
  readonly decision: ApprovalDecision;
}

/** An approval on a request. */
export interface Approval {
  readonly id: string;
  readonly name: string;
  readonly finalDecision: ApprovalDecision;
  /** Whether the caller is an approver who has not answered yet. */
  readonly canAnswerApproval: boolean;
  readonly approvers: readonly Approver[];
  readonly createdDate: JsmDate | undefined;
  /** `undefined` while pending. */
  readonly completedDate: JsmDate | undefined;
  readonly raw: unknown;
}

/** A transition a customer (or an agent acting as one) can make on a request. */
export interface CustomerTransition {
  readonly id: string;
  readonly name: string;
}
