import { type FieldIssue, ForbiddenError, hasErrorKind, type HttpError, httpErrorFields, isHttpError, ValidationError } from '../../core/index.js';
import { withJiraContext } from '../errors.js';

/** A field a request type has, named the way the error reports it. */
export interface NamedField {
  /** The Jira field id (`summary`, `customfield_10010`): the key in `requestFieldValues`. */
  readonly fieldId: string;
  /** The label customers see (`What do you need?`). */
  readonly name: string;
}

/**
 * The `requestFieldValues` of a new request do not fit its request type:
 * required fields were not given (`missing`, with their ids and labels) or
 * fields the request type does not have were (`unknown`). Thrown before
 * anything is sent when the create checks the fields, or after JSM's 400 (the
 * request type's fields are then read to say which). Read them with
 * `serviceDesk.requestTypeFields(deskId, requestTypeId)`.
 */
export class RequestFieldsError extends ValidationError {
  /** @internal */
  static override readonly errorKind: string = 'RequestFieldsError';

  readonly serviceDeskId: string;
  readonly requestTypeId: string;
  /** Required fields that were not given (or were empty). */
  readonly missing: readonly NamedField[];
  /** Field ids given that the request type does not have. */
  readonly unknown: readonly string[];
  constructor(init: { serviceDeskId: string; requestTypeId: string; missing: readonly NamedField[]; unknown: readonly string[]; cause?: unknown }) {
    const issues: FieldIssue[] = [
      ...init.missing.map((f) => ({ field: `requestFieldValues.${f.fieldId}`, rule: 'required', message: `"${f.name}" is required` })),
      ...init.unknown.map((f) => ({ field: `requestFieldValues.${f}`, rule: 'unknown', message: 'is not a field of this request type' })),
    ];
    super(
      `Cannot create a request of type ${init.requestTypeId} in service desk ${init.serviceDeskId} (give the required fields in requestFieldValues; list them with serviceDesk.requestTypeFields())`,
      issues,
      init.cause === undefined ? {} : { cause: init.cause },
    );
    this.serviceDeskId = init.serviceDeskId;
    this.requestTypeId = init.requestTypeId;
    this.missing = init.missing;
    this.unknown = init.unknown;
  }
}

/**
 * The caller, or the customer a request is raised for, may not do this in the
 * service desk: a 403, or JSM's 400 "The user ... does not have permission"
 * (and "is not a customer"). `status` is what the server answered; `customer`
 * the `raiseOnBehalfOf` or participant in question, when there was one.
 */
export class ServiceDeskPermissionError extends ForbiddenError {
  /** @internal */
  static override readonly errorKind: string = 'ServiceDeskPermissionError';

  readonly customer: string | undefined;
  constructor(error: HttpError, init: { hint: string; customer?: string | undefined }) {
    super({ ...httpErrorFields(error), hint: init.hint, cause: error });
    this.customer = init.customer;
  }
}

/** True for {@link RequestFieldsError} (works across duplicate installs). */
export const isRequestFieldsError = (e: unknown): e is RequestFieldsError => hasErrorKind(e, 'RequestFieldsError');
/** True for {@link ServiceDeskPermissionError} (works across duplicate installs). */
export const isServiceDeskPermissionError = (e: unknown): e is ServiceDeskPermissionError => hasErrorKind(e, 'ServiceDeskPermissionError');

/** What a JSM call was about, to say what to do when it fails. */
export interface JsmSubject {
  /** `service desk 12`, `request ITSM-4`, `request type 7 of service desk 12`. */
  readonly what: string;
  /** How to find a valid one (`list them with serviceDesk.listDesks()`). */
  readonly find: string;
  /** The customer the call acts for (`raiseOnBehalfOf`), if any. */
  readonly customer?: string | undefined;
}

const PERMISSION = /does not have (the )?permission|not a customer|not allowed to|do not have permission|don't have permission/i;

/**
 * Adds what to do to a JSM failure: a 404 says which desk, type or request
 * was not found and how to list them (class kept: {@link NotFoundError}); a
 * 403, or a 400 whose message is about permission, becomes a
 * {@link ServiceDeskPermissionError}. Anything else passes through.
 */
export function explainJsmError(error: unknown, subject: JsmSubject): unknown {
  if (!isHttpError(error)) return error;
  const said = error.platformError?.message ?? '';
  if (error.status === 403 || (error.status === 400 && PERMISSION.test(said))) {
    const who = subject.customer ? `the customer "${subject.customer}"` : 'these credentials';
    const hint = subject.customer
      ? `Check that ${who} is a customer of the service desk (add them, or their organization, in the desk's Customers page, or open the portal to anyone), and that the caller is an agent of the desk (only agents may raise on behalf of others)`
      : `Check that ${who} belong to an agent or a customer of the service desk (${subject.what}) with access to it`;
    return new ServiceDeskPermissionError(error, { hint, customer: subject.customer });
  }
  if (error.status === 404) return withJiraContext(error, { hint: `${subject.what} does not exist or is not visible to these credentials: ${subject.find}` });
  return error;
}
