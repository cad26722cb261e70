import { type CallOptions, path } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { allOf, oneOf, pageOf } from './calls.js';
import { fromWireRequestType, fromWireRequestTypeFields } from './mapper.js';
import type { JsmCall, JsmPageOptions } from './page.js';
import type { JsmPage, RequestType, RequestTypeFields } from './types.js';

const typesCall = (serviceDeskId: string): JsmCall => ({ method: 'GET', path: path`/servicedesk/${serviceDeskId}/requesttype`, operation: 'jsm.requesttype.list' });
const deskSubject = (serviceDeskId: string) => ({ what: `service desk ${serviceDeskId}`, find: 'list the desks with serviceDesk.listDesks() (a project key or id also works)' });

/** One page of a service desk's request types (`GET /servicedesk/{id}/requesttype`). */
export function listRequestTypes(ctx: JiraContext, serviceDeskId: string, options: JsmPageOptions = {}): Promise<JsmPage<RequestType>> {
  return pageOf(ctx, typesCall(serviceDeskId), fromWireRequestType, deskSubject(serviceDeskId), options);
}

/** Every request type of a service desk. */
export function iterateRequestTypes(ctx: JiraContext, serviceDeskId: string, options: JsmPageOptions = {}): AsyncGenerator<RequestType, void, undefined> {
  return allOf(ctx, typesCall(serviceDeskId), fromWireRequestType, deskSubject(serviceDeskId), options);
}

/**
 * The fields of a request type (`GET /servicedesk/{id}/requesttype/{id}/field`):
 * which are required, their labels, valid values and Jira schema, and whether
 * the caller may raise on behalf of others or add participants.
 */
export function requestTypeFields(ctx: JiraContext, serviceDeskId: string, requestTypeId: string, options: CallOptions = {}): Promise<RequestTypeFields> {
  return oneOf(
    ctx,
    { method: 'GET', path: path`/servicedesk/${serviceDeskId}/requesttype/${requestTypeId}/field`, operation: 'jsm.requesttype.fields' },
    fromWireRequestTypeFields,
    { what: `request type ${requestTypeId} of service desk ${serviceDeskId}`, find: "list the desk's request types with serviceDesk.listRequestTypes(deskId)" },
    options,
  );
}
