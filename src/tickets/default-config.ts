import { CHANGE_REQUEST_TABLE, INCIDENT_TABLE } from '../servicenow/index.js';
import type { ClassificationConfig, FieldMap, ItsmConfig, RecommendedResource, TemplateDefinition } from './config-schema.js';
import { choiceRule } from './servicenow-ticket-tables.js';

// Field names follow the platform clients' camelCase inputs; ServiceNow wire names
// default to their snake_case, Jira's are given (dotted where Jira nests them).
// ServiceNow choice fields take their names and codes from the client's table declarations.

const LEVEL = /* @__PURE__ */ choiceRule(INCIDENT_TABLE, 'urgency');
const SYS_ID_OR_NAME = { type: 'string', maxLength: 100 } as const;
const JOURNAL = { type: 'string', maxLength: 4000 } as const;
const CORRELATION = { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' } as const;
const SN_DATE_TIME = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$' } as const;

/** ServiceNow `incident` rules (the support counter's custom `u_` fields included). */
const serviceNowIncident: FieldMap = {
  shortDescription: { required: true, maxLength: 160, description: 'One-line summary' },
  description: { maxLength: 4000 },
  urgency: LEVEL,
  impact: LEVEL,
  state: /* @__PURE__ */ choiceRule(INCIDENT_TABLE, 'state'),
  category: { maxLength: 40 },
  subcategory: { maxLength: 40 },
  contactType: { enum: ['email', 'phone', 'self-service', 'walk-in', 'virtual_agent'] },
  callerId: SYS_ID_OR_NAME,
  assignmentGroup: SYS_ID_OR_NAME,
  assignedTo: SYS_ID_OR_NAME,
  cmdbCi: SYS_ID_OR_NAME,
  company: SYS_ID_OR_NAME,
  location: SYS_ID_OR_NAME,
  correlationId: CORRELATION,
  correlationDisplay: { maxLength: 100 },
  workNotes: JOURNAL,
  comments: JOURNAL,
  holdReason: { enum: ['1', '3', '4', '5'] },
  closeCode: {
    enum: [
      'Duplicate', 'Known error', 'No resolution provided', 'Resolved by caller', 'Resolved by change',
      'Resolved by problem', 'Resolved by request', 'Solution provided', 'Workaround provided', 'User error',
    ],
  },
  closeNotes: JOURNAL,
  client: { wire: 'u_client', maxLength: 100, description: 'The client the incident is for' },
  clientEmail: { wire: 'u_client_email', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$', description: 'Resolved contact email' },
  source: { wire: 'u_source', maxLength: 100, description: 'E.g. "BBP Support Counter"' },
};

/** ServiceNow `change_request` rules. */
const serviceNowChangeRequest: FieldMap = {
  type: /* @__PURE__ */ choiceRule(CHANGE_REQUEST_TABLE, 'type', { required: true }),
  shortDescription: { required: true, maxLength: 160 },
  description: { maxLength: 4000 },
  state: /* @__PURE__ */ choiceRule(CHANGE_REQUEST_TABLE, 'state'),
  risk: /* @__PURE__ */ choiceRule(CHANGE_REQUEST_TABLE, 'risk'),
  impact: LEVEL,
  urgency: LEVEL,
  category: { maxLength: 40 },
  assignmentGroup: SYS_ID_OR_NAME,
  assignedTo: SYS_ID_OR_NAME,
  requestedBy: SYS_ID_OR_NAME,
  cmdbCi: SYS_ID_OR_NAME,
  startDate: SN_DATE_TIME,
  endDate: SN_DATE_TIME,
  justification: JOURNAL,
  implementationPlan: JOURNAL,
  backoutPlan: JOURNAL,
  testPlan: JOURNAL,
  riskImpactAnalysis: JOURNAL,
  correlationId: CORRELATION,
  correlationDisplay: { maxLength: 100 },
  closeCode: { enum: ['successful', 'successful_issues', 'unsuccessful'] },
  closeNotes: JOURNAL,
  workNotes: JOURNAL,
};

// Spelled out rather than spread from shared rules: an object spread at module
// level is code a bundler keeps, and with it this whole config, in every bundle.
const ACCOUNT_ID = '^[A-Za-z0-9:_-]+$';
const ESTIMATE = '^[0-9wdhm ]+$';

/** Jira issue rules, in the JiraClient's input names; wire paths give Jira's `fields` shape. */
const jiraIssue: FieldMap = {
  projectKey: { wire: 'project.key', required: true, pattern: '^[A-Z][A-Z0-9_]{1,9}$' },
  issueType: { wire: 'issuetype.name', required: true, maxLength: 60 },
  summary: { required: true, maxLength: 255, pattern: '^[^\\r\\n]*$', description: 'One line, at most 255 characters' },
  description: { maxLength: 32767 },
  environment: { maxLength: 32767 },
  priority: { wire: 'priority.name', enum: ['Highest', 'High', 'Medium', 'Low', 'Lowest'] },
  labels: { type: 'array', maxLength: 50, pattern: '^[^\\s]{1,255}$', description: 'No spaces' },
  components: { type: 'array', maxLength: 50, itemWire: 'name' },
  fixVersions: { type: 'array', maxLength: 50, itemWire: 'name' },
  affectsVersions: { type: 'array', maxLength: 50, itemWire: 'name', wire: 'versions' },
  assigneeAccountId: { type: 'string', maxLength: 128, pattern: ACCOUNT_ID, wire: 'assignee.id' },
  reporterAccountId: { type: 'string', maxLength: 128, pattern: ACCOUNT_ID, wire: 'reporter.id' },
  assigneeName: { type: 'string', maxLength: 255, wire: 'assignee.name', description: 'Data Center user name' },
  reporterName: { type: 'string', maxLength: 255, wire: 'reporter.name', description: 'Data Center user name' },
  dueDate: { wire: 'duedate', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  parent: { wire: 'parent.key', pattern: '^[A-Z][A-Z0-9_]+-\\d+$' },
  originalEstimate: { type: 'string', maxLength: 32, pattern: ESTIMATE, wire: 'timetracking.originalEstimate' },
  remainingEstimate: { type: 'string', maxLength: 32, pattern: ESTIMATE, wire: 'timetracking.remainingEstimate' },
  securityLevel: { wire: 'security.name', maxLength: 255 },
  resolution: { wire: 'resolution.name', maxLength: 255 },
  customFields: { type: 'object', description: 'Custom fields by id; the Jira client spreads them into `fields`' },
};

/** The four built-in templates: two ServiceNow, two Jira. */
const templates: Record<string, TemplateDefinition> = {
  'servicenow-job-failure-incident': {
    platform: 'servicenow',
    ticketType: 'incident',
    description: 'An incident for a failed job',
    variables: {
      'job.id': { type: 'string', description: 'The failing job id (also the correlation key)' },
      'job.name': { type: 'string' },
      'error.summary': { type: 'string', description: 'One line' },
      'error.detail': { type: 'string', required: false, default: 'No further detail.' },
      urgency: { type: 'string', default: 'medium' },
      assignmentGroup: { type: 'string', required: false },
    },
    fields: {
      shortDescription: 'Job {job.name} failed: {error.summary}',
      description: 'Job {job.name} ({job.id}) failed.\n\n{error.detail}',
      urgency: '{urgency}',
      impact: 'medium',
      category: 'software',
      contactType: 'self-service',
      assignmentGroup: '{assignmentGroup}',
      correlationId: 'job-{job.id}',
    },
  },
  'servicenow-standard-change': {
    platform: 'servicenow',
    ticketType: 'changeRequest',
    description: 'A standard change for a planned deployment',
    variables: {
      service: { type: 'string' },
      version: { type: 'string' },
      environment: { type: 'string' },
      window: { type: 'object', description: '{ start, end } in ServiceNow date-time format' },
      plan: { type: 'string', default: 'Deploy through the pipeline.' },
    },
    fields: {
      type: 'standard',
      shortDescription: 'Deploy {service} {version} to {environment}',
      description: 'Planned deployment of {service} {version} to {environment}.',
      risk: 'low',
      startDate: '{window.start}',
      endDate: '{window.end}',
      implementationPlan: '{plan}',
      backoutPlan: 'Redeploy the previous version of {service}.',
      correlationId: 'deploy-{service}-{version}-{environment}',
    },
  },
  'jira-job-failure-bug': {
    platform: 'jira',
    ticketType: 'issue',
    description: 'A bug for a failed job',
    variables: {
      'job.id': { type: 'string', description: 'The failing job id (also the correlation key)' },
      'job.name': { type: 'string' },
      'error.summary': { type: 'string', description: 'One line' },
      'error.detail': { type: 'string', required: false, default: 'No further detail.' },
      projectKey: { type: 'string' },
      priority: { type: 'string', default: 'High' },
      labels: { type: 'array', default: ['itsmkit', 'job-failure'] },
    },
    fields: {
      projectKey: '{projectKey}',
      issueType: 'Bug',
      summary: 'Job {job.name} failed: {error.summary}',
      description: 'Job {job.name} ({job.id}) failed.\n\n{error.detail}',
      priority: '{priority}',
      labels: '{labels}',
    },
  },
  'jira-follow-up-task': {
    platform: 'jira',
    ticketType: 'issue',
    description: 'A follow-up task linked to a ticket on either platform',
    variables: {
      projectKey: { type: 'string' },
      ticket: { type: 'string', description: 'The ticket followed up (INC0010001, OPS-12)' },
      action: { type: 'string' },
      dueDate: { type: 'string', required: false },
    },
    fields: {
      projectKey: '{projectKey}',
      issueType: 'Task',
      summary: 'Follow up on {ticket}: {action}',
      description: 'Follow-up for {ticket}.\n\nAction: {action}',
      priority: 'Medium',
      dueDate: '{dueDate}',
      labels: ['itsmkit', 'follow-up'],
    },
  },
};

const GOOGLE_ACCOUNT_ACCESS: RecommendedResource = { type: 'doc', label: 'Google Workspace Account Access Troubleshooting', url: 'https://support.google.com/a/answer/1728857' };
const GOOGLE_ACCOUNT_ACCESS_CATEGORY = 'Google Workspace – Account Access';

/**
 * The default classification: example rules for a support counter. Replace
 * them with your own categories and resources.
 */
const classification: ClassificationConfig = {
  rules: [
    {
      id: 'gws-password-reset',
      category: GOOGLE_ACCOUNT_ACCESS_CATEGORY,
      topic: 'Google Workspace Password Reset',
      matchKeywords: ['password', 'reset', 'forgot password', 'locked out'],
      recommendedResources: [{ type: 'doc', label: 'Change or reset your Google Account password', url: 'https://support.google.com/accounts/answer/41078' }, GOOGLE_ACCOUNT_ACCESS],
    },
    {
      id: 'gws-two-step-verification',
      category: GOOGLE_ACCOUNT_ACCESS_CATEGORY,
      topic: 'Google Workspace 2-Step Verification',
      matchKeywords: ['2-step', '2sv', 'verification code', 'two factor', 'authenticator'],
      recommendedResources: [{ type: 'doc', label: 'Turn on 2-Step Verification', url: 'https://support.google.com/accounts/answer/185839' }],
    },
    {
      id: 'gws-account-access',
      category: GOOGLE_ACCOUNT_ACCESS_CATEGORY,
      topic: 'Google Workspace Account Access',
      matchKeywords: ['log in', 'login', 'sign in', 'cannot access', 'suspended'],
      matchErrorCodes: ['401', '403', '500'],
      recommendedResources: [GOOGLE_ACCOUNT_ACCESS],
    },
    {
      id: 'gws-email-delivery',
      category: 'Google Workspace – Email',
      topic: 'Gmail Delivery Issues',
      matchKeywords: ['bounce', 'bounced', 'not receiving', 'delivery', 'spam'],
      matchErrorCodes: ['550', '552', '554'],
      recommendedResources: [{ type: 'doc', label: 'Gmail Help', url: 'https://support.google.com/mail' }],
    },
    {
      id: 'm365-outlook',
      category: 'Microsoft 365 – Outlook',
      topic: 'Outlook Mail and Calendar',
      matchKeywords: ['outlook', 'calendar', 'sync', 'mailbox full'],
      recommendedResources: [{ type: 'doc', label: 'Outlook help & learning', url: 'https://support.microsoft.com/outlook' }],
    },
    {
      id: 'network-vpn',
      category: 'Network – VPN',
      topic: 'VPN Connectivity',
      matchKeywords: ['vpn', 'tunnel', 'cannot connect', 'disconnects'],
      matchErrorCodes: ['691', '720', '809'],
      recommendedResources: [{ type: 'doc', label: 'Windows help: VPN', url: 'https://support.microsoft.com/windows' }],
    },
    {
      id: 'hardware-printer',
      category: 'Hardware – Printer',
      topic: 'Printer Troubleshooting',
      matchKeywords: ['printer', 'print', 'paper jam', 'toner'],
      recommendedResources: [{ type: 'video', label: 'Printer troubleshooting walkthrough', url: 'https://support.microsoft.com/windows' }],
    },
    {
      id: 'security-phishing',
      topic: 'Suspected Phishing',
      matchKeywords: ['phishing', 'suspicious email', 'scam'],
      recommendedResources: [{ type: 'doc', label: 'Avoid and report phishing emails', url: 'https://support.google.com/mail/answer/8253' }],
    },
  ],
  categoryDefaults: [
    { category: GOOGLE_ACCOUNT_ACCESS_CATEGORY, topic: 'Google Workspace Account Access', recommendedResources: [GOOGLE_ACCOUNT_ACCESS] },
    { category: 'Google Workspace – Email', topic: 'Gmail', recommendedResources: [{ type: 'doc', label: 'Gmail Help', url: 'https://support.google.com/mail' }] },
  ],
  fallback: { topic: 'Unclassified / Manual Review', recommendedResources: [] },
};

/**
 * The configuration that ships with itsmkit: the default retry policy and
 * timeouts, field rules for ServiceNow incidents and change requests and Jira
 * issues, the four built-in templates and the support counter's classification rules.
 * `loadItsmConfig` merges what you give over it.
 */
export const DEFAULT_ITSM_CONFIG: ItsmConfig = {
  retryPolicy: { retries: 5, factor: 2, minDelayMs: 500, maxDelayMs: 30_000, retryOnStatus: [429, 502, 503, 504] },
  timeouts: { connectMs: 10_000, readMs: 30_000, totalMs: 60_000 },
  fieldMapping: {
    servicenow: { incident: serviceNowIncident, changeRequest: serviceNowChangeRequest },
    jira: { issue: jiraIssue },
  },
  templates,
  classification,
  validation: {},
};
