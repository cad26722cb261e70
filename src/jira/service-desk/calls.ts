import type { CallOptions } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { explainJsmError, type JsmSubject } from './errors.js';
import type { Fail } from './mapper.js';
import { iteratePages, type JsmCall, type JsmPageOptions, listPage, sendJsm } from './page.js';
import type { JsmPage } from './types.js';

type Map<T> = (raw: unknown, fail: Fail) => T;

/** One JSM call whose answer is one record; failures explained for `subject`. */
export async function oneOf<T>(ctx: JiraContext, call: JsmCall, map: Map<T>, subject: JsmSubject, options: CallOptions = {}): Promise<T> {
  try {
    const { res, fail } = await sendJsm(ctx, call, options);
    return map(res.data, fail);
  } catch (error) {
    throw explainJsmError(error, subject);
  }
}

/** One page of a JSM list; failures explained for `subject`. */
export async function pageOf<T>(ctx: JiraContext, call: JsmCall, map: Map<T>, subject: JsmSubject, options: JsmPageOptions = {}): Promise<JsmPage<T>> {
  try {
    return await listPage(ctx, call, map, options);
  } catch (error) {
    throw explainJsmError(error, subject);
  }
}

/** Every value of a JSM list; failures explained for `subject`. */
export async function* allOf<T>(ctx: JiraContext, call: JsmCall, map: Map<T>, subject: JsmSubject, options: JsmPageOptions = {}): AsyncGenerator<T, void, undefined> {
  try {
    yield* iteratePages(ctx, call, map, options);
  } catch (error) {
    throw explainJsmError(error, subject);
  }
}
