/**
 * Wire -> typed records for Jira Service Management. Lenient about what is
 * optional (missing values read as `undefined`, unknown keys stay on `raw`),
 * strict about identity: a record without its id is reported through `fail`
 * (an `UnexpectedResponseError`), never turned into a record of empty strings.
 */
import type {
  Approval,
  Approver,
  CustomerRequest,
  CustomerTransition,
  JiraFieldSchema,
  JsmDate,
  JsmDuration,
  JsmUser,
  RequestComment,
  RequestFieldValue,
  RequestStatus,
  RequestType,
  RequestTypeField,
  RequestTypeFieldValue,
  RequestTypeFields,
  ServiceDesk,
  Sla,
  SlaCycle,
} from './types.js';

type Wire = Record<string, unknown>;
/** Reports an answer that lacks what the operation returns (throws). */
export type Fail = (problem: string) => never;

const isObject = (value: unknown): value is Wire => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const wire = (value: unknown): Wire => (isObject(value) ? value : {});

/** A non-empty id (a string, or a number some proxies turn it into), as a string. */
function id(record: Wire, key: string, fail: Fail, what: string): string {
  const value = record[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(`has ${what} without "${key}" (a non-empty string)`);
}

/** The object a single-record answer must be. */
export function objectOf(data: unknown, fail: Fail): Wire {
  return isObject(data) ? data : fail('is not a JSON object (not a Jira Service Management answer: check baseUrl, or a proxy in between)');
}

/**
 * A JSM date: `{iso8601, jira, friendly, epochMillis}`. The instant comes from
 * `epochMillis`, else from `iso8601` or `jira`; a value with none of them is `undefined`.
 */
export function fromWireDate(value: unknown): JsmDate | undefined {
  if (!isObject(value)) return undefined;
  const iso = str(value['iso8601']) ?? str(value['jira']);
  const parsed = iso === undefined ? NaN : Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  const epochMillis = num(value['epochMillis']) ?? (Number.isNaN(parsed) ? undefined : parsed);
  if (epochMillis === undefined) return undefined;
  return { date: new Date(epochMillis), epochMillis, iso8601: iso ?? new Date(epochMillis).toISOString(), friendly: str(value['friendly']) };
}

function fromWireDuration(value: unknown): JsmDuration | undefined {
  if (!isObject(value)) return undefined;
  const millis = num(value['millis']);
  return millis === undefined ? undefined : { millis, friendly: str(value['friendly']) };
}

/** A JSM user (reporter, author, approver). */
export function fromWireUser(value: unknown): JsmUser | undefined {
  if (!isObject(value)) return undefined;
  return {
    accountId: str(value['accountId']),
    name: str(value['name']),
    key: str(value['key']),
    displayName: str(value['displayName']),
    emailAddress: str(value['emailAddress']) || undefined,
    active: value['active'] !== false,
  };
}

export function fromWireDesk(raw: unknown, fail: Fail): ServiceDesk {
  const w = objectOf(raw, fail);
  return {
    id: id(w, 'id', fail, 'a service desk'),
    projectId: str(w['projectId']) ?? String(w['projectId'] ?? ''),
    projectKey: id(w, 'projectKey', fail, 'a service desk'),
    projectName: str(w['projectName']) ?? '',
    raw,
  };
}

export function fromWireRequestType(raw: unknown, fail: Fail): RequestType {
  const w = objectOf(raw, fail);
  return {
    id: id(w, 'id', fail, 'a request type'),
    name: str(w['name']) ?? '',
    description: str(w['description']),
    helpText: str(w['helpText']),
    serviceDeskId: str(w['serviceDeskId']) ?? '',
    issueTypeId: str(w['issueTypeId']),
    portalId: str(w['portalId']),
    groupIds: Array.isArray(w['groupIds']) ? w['groupIds'].filter((g): g is string => typeof g === 'string') : [],
    raw,
  };
}

function fromWireValidValue(value: unknown): RequestTypeFieldValue {
  const w = wire(value);
  return { value: str(w['value']) ?? '', label: str(w['label']) ?? '', children: Array.isArray(w['children']) ? w['children'].map(fromWireValidValue) : [] };
}

function fromWireSchema(value: unknown): JiraFieldSchema | undefined {
  if (!isObject(value)) return undefined;
  return { type: str(value['type']) ?? '', items: str(value['items']), system: str(value['system']), custom: str(value['custom']), customId: num(value['customId']) };
}

/** `GET .../requesttype/{id}/field`: `{requestTypeFields, canRaiseOnBehalfOf, canAddRequestParticipants}`. */
export function fromWireRequestTypeFields(data: unknown, fail: Fail): RequestTypeFields {
  const w = objectOf(data, fail);
  const list = w['requestTypeFields'];
  if (!Array.isArray(list)) return fail('has no "requestTypeFields" array');
  const fields = list.map((f, i): RequestTypeField => {
    const field = isObject(f) ? f : fail(`has a "requestTypeFields" entry (index ${i}) that is not an object`);
    return {
      fieldId: id(field, 'fieldId', fail, `a request type field (index ${i})`),
      name: str(field['name']) ?? String(field['fieldId']),
      description: str(field['description']),
      required: field['required'] === true,
      visible: field['visible'] !== false,
      validValues: Array.isArray(field['validValues']) ? field['validValues'].map(fromWireValidValue) : [],
      jiraSchema: fromWireSchema(field['jiraSchema']),
    };
  });
  return { fields, canRaiseOnBehalfOf: w['canRaiseOnBehalfOf'] === true, canAddRequestParticipants: w['canAddRequestParticipants'] === true };
}

export function fromWireStatus(value: unknown): RequestStatus | undefined {
  if (!isObject(value) || typeof value['status'] !== 'string') return undefined;
  return { status: value['status'], statusCategory: str(value['statusCategory']), statusDate: fromWireDate(value['statusDate']) };
}

/** One entry of a status history; `status` is required there. */
export function fromWireStatusEntry(raw: unknown, fail: Fail): RequestStatus {
  return fromWireStatus(raw) ?? fail('has a status history entry without "status"');
}

function fromWireFieldValue(value: unknown): RequestFieldValue | undefined {
  if (!isObject(value) || typeof value['fieldId'] !== 'string') return undefined;
  return { fieldId: value['fieldId'], label: str(value['label']), value: value['value'] };
}

export function fromWireRequest(raw: unknown, fail: Fail): CustomerRequest {
  const w = objectOf(raw, fail);
  const links = wire(w['_links']);
  return {
    issueId: id(w, 'issueId', fail, 'a request'),
    issueKey: id(w, 'issueKey', fail, 'a request'),
    serviceDeskId: str(w['serviceDeskId']) ?? '',
    requestTypeId: str(w['requestTypeId']) ?? '',
    summary: str(w['summary']),
    createdDate: fromWireDate(w['createdDate']),
    reporter: fromWireUser(w['reporter']),
    currentStatus: fromWireStatus(w['currentStatus']),
    fieldValues: Array.isArray(w['requestFieldValues']) ? w['requestFieldValues'].map(fromWireFieldValue).filter((v): v is RequestFieldValue => v !== undefined) : [],
    portalUrl: str(links['web']),
    agentUrl: str(links['agent']),
    raw,
  };
}

export function fromWireComment(raw: unknown, fail: Fail): RequestComment {
  const w = objectOf(raw, fail);
  return {
    id: id(w, 'id', fail, 'a comment'),
    body: str(w['body']) ?? '',
    public: w['public'] !== false,
    author: fromWireUser(w['author']),
    created: fromWireDate(w['created']),
    raw,
  };
}

function fromWireCycle(value: unknown): SlaCycle {
  const w = wire(value);
  return {
    startTime: fromWireDate(w['startTime']),
    stopTime: fromWireDate(w['stopTime']),
    breachTime: fromWireDate(w['breachTime']),
    breached: w['breached'] === true,
    paused: typeof w['paused'] === 'boolean' ? w['paused'] : undefined,
    withinCalendarHours: typeof w['withinCalendarHours'] === 'boolean' ? w['withinCalendarHours'] : undefined,
    goalDuration: fromWireDuration(w['goalDuration']),
    elapsedTime: fromWireDuration(w['elapsedTime']),
    remainingTime: fromWireDuration(w['remainingTime']),
  };
}

export function fromWireSla(raw: unknown, fail: Fail): Sla {
  const w = objectOf(raw, fail);
  const name = str(w['name']) ?? fail('has an SLA without "name"');
  const self = str(wire(w['_links'])['self']);
  return {
    id: str(w['id']) ?? (self ? /\/sla\/([^/?#]+)$/.exec(self)?.[1] : undefined),
    name,
    completedCycles: Array.isArray(w['completedCycles']) ? w['completedCycles'].map(fromWireCycle) : [],
    ongoingCycle: isObject(w['ongoingCycle']) ? fromWireCycle(w['ongoingCycle']) : undefined,
    raw,
  };
}

function fromWireApprover(value: unknown): Approver {
  const w = wire(value);
  return { approver: fromWireUser(w['approver']), decision: str(w['approverDecision']) ?? 'pending' };
}

export function fromWireApproval(raw: unknown, fail: Fail): Approval {
  const w = objectOf(raw, fail);
  return {
    id: id(w, 'id', fail, 'an approval'),
    name: str(w['name']) ?? '',
    finalDecision: str(w['finalDecision']) ?? 'pending',
    canAnswerApproval: w['canAnswerApproval'] === true,
    approvers: Array.isArray(w['approvers']) ? w['approvers'].map(fromWireApprover) : [],
    createdDate: fromWireDate(w['createdDate']),
    completedDate: fromWireDate(w['completedDate']),
    raw,
  };
}

export function fromWireTransition(raw: unknown, fail: Fail): CustomerTransition {
  const w = objectOf(raw, fail);
  return { id: id(w, 'id', fail, 'a transition'), name: str(w['name']) ?? '' };
}
