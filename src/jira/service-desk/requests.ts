import { type CallOptions, type FieldIssue, isHttpError, path, ValidationError } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { explainJsmError, type JsmSubject, type NamedField, RequestFieldsError } from './errors.js';
import { fromWireRequest, fromWireStatusEntry } from './mapper.js';
import { allOf, oneOf, pageOf } from './calls.js';
import { type JsmCall, type JsmPageOptions, sendJsm } from './page.js';
import { requestTypeFields } from './request-types.js';
import type { CustomerRequest, JsmPage, RequestStatus, RequestTypeFields } from './types.js';

/** A customer request to raise: which desk, which request type, and its field values. */
export interface CreateRequestInput {
  /** The service desk id (`listDesks()`: a desk's `id`, not its project key). */
  readonly serviceDeskId: string;
  /** The request type id (`listRequestTypes(deskId)`). */
  readonly requestTypeId: string;
  /**
   * The field values by Jira field id (JSM's `requestFieldValues`), in Jira's
   * input formats: `{ summary: 'VPN down', description: 'Since 9am', priority: { id: '2' } }`.
   * Which ids exist and which are required: `requestTypeFields(deskId, requestTypeId)`.
   */
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * The customer the request is raised for (agents only): an account id on
   * Cloud, a user name on Data Center. @default the caller
   */
  readonly raiseOnBehalfOf?: string;
  /** Customers added as participants (account ids on Cloud, user names on Data Center). @default none */
  readonly participants?: readonly string[];
}

/** Options of `serviceDesk.createRequest`, with the per-call ones ({@link CallOptions}). */
export interface CreateRequestOptions extends CallOptions {
  /**
   * Reads the request type's fields first and refuses, before anything is
   * sent, fields that are required but missing or not on the request type
   * (a {@link RequestFieldsError}). Off, a 400 from JSM is still explained the same way.
   * @default true
   */
  readonly checkFields?: boolean;
}

const empty = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** Required fields not given and given fields the request type lacks. Hidden required fields are JSM's to fill (preset values). */
function fieldProblems(meta: RequestTypeFields, given: Readonly<Record<string, unknown>>): { missing: NamedField[]; unknown: string[] } {
  const known = new Set(meta.fields.map((f) => f.fieldId));
  return {
    missing: meta.fields.filter((f) => f.required && f.visible && empty(given[f.fieldId])).map((f) => ({ fieldId: f.fieldId, name: f.name })),
    unknown: Object.keys(given).filter((id) => !known.has(id)),
  };
}

function checkInput(input: CreateRequestInput): void {
  const issues: FieldIssue[] = [];
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (!text(input.serviceDeskId)) issues.push({ field: 'serviceDeskId', rule: 'required', message: 'is required: a service desk id (list them with serviceDesk.listDesks())' });
  if (!text(input.requestTypeId)) issues.push({ field: 'requestTypeId', rule: 'required', message: 'is required: a request type id (list them with serviceDesk.listRequestTypes(deskId))' });
  if (typeof input.fields !== 'object' || input.fields === null || Array.isArray(input.fields)) issues.push({ field: 'fields', rule: 'type', message: 'must be an object of field values by Jira field id' });
  if (input.raiseOnBehalfOf !== undefined && !text(input.raiseOnBehalfOf)) issues.push({ field: 'raiseOnBehalfOf', rule: 'type', message: 'must be an account id (Cloud) or a user name (Data Center)' });
  input.participants?.forEach((p, i) => {
    if (!text(p)) issues.push({ field: `participants.${i}`, rule: 'type', message: 'must be an account id (Cloud) or a user name (Data Center)' });
  });
  if (issues.length) throw new ValidationError('Invalid customer request', issues);
}

/**
 * Raises a customer request (`POST /request`, 201). With `checkFields` (the
 * default) the request type's fields are read first and a request that lacks
 * required ones is refused with a {@link RequestFieldsError} naming them; a 400
 * from JSM is explained the same way. A permission failure (the caller, or
 * the customer in `raiseOnBehalfOf`) is a `ServiceDeskPermissionError`. Not
 * re-sent after an ambiguous failure: a request has no key to look it up by.
 */
export async function createRequest(ctx: JiraContext, input: CreateRequestInput, options: CreateRequestOptions = {}): Promise<CustomerRequest> {
  checkInput(input);
  const { serviceDeskId, requestTypeId } = input;
  const subject: JsmSubject = {
    what: `service desk ${serviceDeskId} or its request type ${requestTypeId}`,
    find: 'list the desks with serviceDesk.listDesks() and their request types with serviceDesk.listRequestTypes(deskId)',
    customer: input.raiseOnBehalfOf,
  };
  const problems = async (cause?: unknown): Promise<RequestFieldsError | undefined> => {
    const found = fieldProblems(await requestTypeFields(ctx, serviceDeskId, requestTypeId, options), input.fields);
    return found.missing.length || found.unknown.length ? new RequestFieldsError({ serviceDeskId, requestTypeId, ...found, cause }) : undefined;
  };
  if (options.checkFields !== false) {
    const refused = await problems();
    if (refused) throw refused;
  }
  const call: JsmCall = {
    method: 'POST',
    path: '/request',
    operation: 'jsm.request.create',
    json: {
      serviceDeskId,
      requestTypeId,
      requestFieldValues: input.fields,
      ...(input.raiseOnBehalfOf === undefined ? {} : { raiseOnBehalfOf: input.raiseOnBehalfOf }),
      ...(input.participants?.length ? { requestParticipants: input.participants } : {}),
    },
    notRetriedHint: 'a customer request has no key to look it up by; check the desk\'s requests before raising it again',
  };
  try {
    const { res, fail } = await sendJsm(ctx, call, options);
    return fromWireRequest(res.data, fail);
  } catch (error) {
    const explained = explainJsmError(error, subject);
    if (isHttpError(explained) && explained.status === 400) throw (await problems(explained).catch(() => undefined)) ?? explained;
    throw explained;
  }
}

/** What a call about one request is about, for its errors. */
export const requestSubject = (issueIdOrKey: string): JsmSubject => ({
  what: `request ${issueIdOrKey}`,
  find: 'check the key (requests of service desk projects only; a plain Jira issue is not a customer request)',
});

/** A customer request by issue key or id (`GET /request/{issueIdOrKey}`). */
export function getRequest(ctx: JiraContext, issueIdOrKey: string, options: CallOptions = {}): Promise<CustomerRequest> {
  return oneOf(ctx, { method: 'GET', path: path`/request/${issueIdOrKey}`, operation: 'jsm.request.get' }, fromWireRequest, requestSubject(issueIdOrKey), options);
}

const statusCall = (issueIdOrKey: string): JsmCall => ({ method: 'GET', path: path`/request/${issueIdOrKey}/status`, operation: 'jsm.request.status' });

/** One page of a request's status history, newest first as JSM returns it (`GET /request/{key}/status`). */
export function listStatusHistory(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<RequestStatus>> {
  return pageOf(ctx, statusCall(issueIdOrKey), fromWireStatusEntry, requestSubject(issueIdOrKey), options);
}

/** A request's whole status history. */
export function iterateStatusHistory(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<RequestStatus, void, undefined> {
  return allOf(ctx, statusCall(issueIdOrKey), fromWireStatusEntry, requestSubject(issueIdOrKey), options);
}
