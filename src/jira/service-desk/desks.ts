import type { JiraContext } from '../context.js';
import { fromWireDesk } from './mapper.js';
import { iteratePages, type JsmCall, type JsmPageOptions, listPage } from './page.js';
import type { JsmPage, ServiceDesk } from './types.js';

const DESKS: JsmCall = { method: 'GET', path: '/servicedesk', operation: 'jsm.servicedesk.list' };

/** One page of the service desks the caller can see (`GET /servicedesk`). */
export function listDesks(ctx: JiraContext, options: JsmPageOptions = {}): Promise<JsmPage<ServiceDesk>> {
  return listPage(ctx, DESKS, fromWireDesk, options);
}

/** Every service desk the caller can see. */
export function iterateDesks(ctx: JiraContext, options: JsmPageOptions = {}): AsyncGenerator<ServiceDesk, void, undefined> {
  return iteratePages(ctx, DESKS, fromWireDesk, options);
}
