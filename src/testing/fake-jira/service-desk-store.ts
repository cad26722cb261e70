/** The fake Jira Service Management's seed: desks, request types and their fields, statuses, SLA goals. */
import type { FakeStatus } from './store.js';

/** A service desk the fake knows. */
export interface FakeDesk {
  readonly id: string;
  readonly projectId: string;
  readonly projectKey: string;
  readonly projectName: string;
  /** Customers (account ids on Cloud, user names on Data Center) who may raise requests. */
  readonly customers: Set<string>;
  /** Anyone may raise requests (the portal is open). */
  openAccess: boolean;
  /** The caller may not raise requests here (a 403). */
  denied: boolean;
}

/** A field of a request type, in the shape `GET .../requesttype/{id}/field` returns it. */
export interface FakeRequestTypeField {
  readonly fieldId: string;
  readonly name: string;
  readonly required: boolean;
  readonly visible: boolean;
  readonly validValues: readonly { readonly value: string; readonly label: string }[];
  readonly jiraSchema: Readonly<Record<string, unknown>>;
  /** What JSM fills a hidden field with. */
  readonly preset?: unknown;
}

/** A request type the fake knows. */
export interface FakeRequestType {
  readonly id: string;
  readonly serviceDeskId: string;
  readonly name: string;
  readonly description: string;
  readonly helpText?: string;
  /** The Jira issue type (an id of the fake Jira's issue types). */
  readonly issueTypeId: string;
  readonly fields: readonly FakeRequestTypeField[];
  /** Requests of this type wait for this approval first. */
  readonly approval?: { readonly name: string };
  /** The goal of `Time to resolution`, in ms. */
  readonly resolutionGoalMs: number;
}

/** JSM's default workflow statuses, as the fake's requests move through them. */
export const JSM_STATUSES = {
  waitingForApproval: { id: '10013', name: 'Waiting for approval', category: 'new' },
  waitingForSupport: { id: '10010', name: 'Waiting for support', category: 'new' },
  waitingForCustomer: { id: '10011', name: 'Waiting for customer', category: 'indeterminate' },
  resolved: { id: '10012', name: 'Resolved', category: 'done' },
  canceled: { id: '10014', name: 'Canceled', category: 'done' },
  declined: { id: '10015', name: 'Declined', category: 'done' },
} as const satisfies Record<string, FakeStatus>;

/** The customer transitions from each status (`GET /request/{key}/transition`). */
export const CUSTOMER_TRANSITIONS: Readonly<Record<string, readonly { id: string; name: string; to: FakeStatus }[]>> = {
  [JSM_STATUSES.waitingForSupport.id]: [
    { id: '911', name: 'Cancel request', to: JSM_STATUSES.canceled },
    { id: '921', name: 'Resolve this issue', to: JSM_STATUSES.resolved },
  ],
  [JSM_STATUSES.waitingForCustomer.id]: [
    { id: '931', name: 'Respond to support', to: JSM_STATUSES.waitingForSupport },
    { id: '921', name: 'Resolve this issue', to: JSM_STATUSES.resolved },
  ],
  [JSM_STATUSES.resolved.id]: [{ id: '941', name: 'Reopen request', to: JSM_STATUSES.waitingForSupport }],
};

/** The goal of `Time to first response`, in ms. */
export const FIRST_RESPONSE_GOAL_MS = 4 * 3_600_000;

const SUMMARY = (name: string): FakeRequestTypeField => ({ fieldId: 'summary', name, required: true, visible: true, validValues: [], jiraSchema: { type: 'string', system: 'summary' } });
const DESCRIPTION = (name: string, required: boolean): FakeRequestTypeField => ({ fieldId: 'description', name, required, visible: true, validValues: [], jiraSchema: { type: 'string', system: 'description' } });

/**
 * The seed: "IT Help" (ITSM, desk 1) with "Get IT help", "Report an incident"
 * (required description and affected system, a hidden required impact with a
 * preset, like the vendor's example) and "Request new software" (approval
 * first); "HR Services" (HR, desk 2), where the caller may not raise requests.
 */
export function seedServiceDesks(customers: readonly string[]): { desks: FakeDesk[]; requestTypes: FakeRequestType[] } {
  const desks: FakeDesk[] = [
    { id: '1', projectId: '10100', projectKey: 'ITSM', projectName: 'IT Help', customers: new Set(customers), openAccess: false, denied: false },
    { id: '2', projectId: '10101', projectKey: 'HR', projectName: 'HR Services', customers: new Set(), openAccess: false, denied: true },
  ];
  const requestTypes: FakeRequestType[] = [
    {
      id: '10',
      serviceDeskId: '1',
      name: 'Get IT help',
      description: 'Get assistance for general IT problems and questions.',
      helpText: 'Tell us what you need in a sentence or two.',
      issueTypeId: '10001',
      fields: [SUMMARY('What do you need?'), DESCRIPTION('Why do you need this?', false)],
      resolutionGoalMs: 24 * 3_600_000,
    },
    {
      id: '11',
      serviceDeskId: '1',
      name: 'Report an incident',
      description: 'Something is broken or not working.',
      issueTypeId: '10003',
      fields: [
        SUMMARY('Summarize the problem'),
        DESCRIPTION("What's happening?", true),
        {
          fieldId: 'customfield_10050',
          name: 'Affected system',
          required: true,
          visible: true,
          validValues: [
            { value: '10100', label: 'Email' },
            { value: '10101', label: 'VPN' },
            { value: '10102', label: 'Laptop' },
          ],
          jiraSchema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10050 },
        },
        {
          fieldId: 'customfield_10004',
          name: 'Impact',
          required: true,
          visible: false,
          validValues: [{ value: '10200', label: 'Significant / Large' }],
          jiraSchema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10004 },
          preset: { id: '10200' },
        },
      ],
      resolutionGoalMs: 8 * 3_600_000,
    },
    {
      id: '12',
      serviceDeskId: '1',
      name: 'Request new software',
      description: 'Ask for a licence or an install; a manager approves it first.',
      issueTypeId: '10001',
      fields: [SUMMARY('Which software?'), DESCRIPTION('What is it for?', false)],
      approval: { name: 'Manager approval' },
      resolutionGoalMs: 5 * 24 * 3_600_000,
    },
    {
      id: '20',
      serviceDeskId: '2',
      name: 'Request time off',
      description: 'Book leave.',
      issueTypeId: '10001',
      fields: [SUMMARY('When?')],
      resolutionGoalMs: 24 * 3_600_000,
    },
  ];
  return { desks, requestTypes };
}
