import { path } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { allOf, pageOf } from './calls.js';
import { fromWireSla } from './mapper.js';
import type { JsmCall, JsmPageOptions } from './page.js';
import { requestSubject } from './requests.js';
import type { JsmPage, Sla } from './types.js';

/**
 * `X-ExperimentalApi` is sent although Cloud does not mark it experimental (Atlassian's JSM Cloud OpenAPI document, as generated into jira.js v5.4.0 `src/serviceDesk/request.ts`):
 * older Service Desk releases marked the SLA resource experimental, and a server
 * where the method is stable ignores the header.
 */
const slaCall = (issueIdOrKey: string): JsmCall => ({ method: 'GET', path: path`/request/${issueIdOrKey}/sla`, operation: 'jsm.request.sla', experimental: true });

/** One page of a request's SLAs (`GET /request/{key}/sla`; agents only). */
export function listSlas(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<Sla>> {
  return pageOf(ctx, slaCall(issueIdOrKey), fromWireSla, requestSubject(issueIdOrKey), options);
}

/** Every SLA of a request. */
export function iterateSlas(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<Sla, void, undefined> {
  return allOf(ctx, slaCall(issueIdOrKey), fromWireSla, requestSubject(issueIdOrKey), options);
}
