/**
 * One response decoder per Jira operation. Each checks what its operation
 * returns (an issue with its `id` and `key`, a comment with its `id`, a page
 * with its `issues` array, ...) and throws an `UnexpectedResponseError`
 * naming what is missing, built by `wrongAnswer` (the body stays on the error,
 * off its message); never a record of empty strings. Other fields are left
 * to the lenient mappers. `where` is called only on failure.
 */
import { type AnswerSource, type TransportResponse, wrongAnswer } from '../core/index.js';

type Wire = Record<string, unknown>;
type Where = () => AnswerSource;

const NOT_JIRA = 'not a Jira REST answer: check baseUrl, or a proxy in between';

function isObject(value: unknown): value is Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or a number (Jira sends ids as strings; some proxies as numbers). */
function hasId(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function body(res: TransportResponse, where: Where): Wire {
  if (!isObject(res.data)) throw wrongAnswer(res, where(), `is not a JSON object (${NOT_JIRA})`);
  return res.data;
}

function need(res: TransportResponse, where: Where, record: Wire, keys: readonly string[], at = ''): void {
  for (const key of keys) if (!hasId(record[key])) throw wrongAnswer(res, where(), `has no "${key}" (a non-empty string)${at}`);
}

function list(res: TransportResponse, where: Where, key: string): unknown[] {
  const value = body(res, where)[key];
  if (!Array.isArray(value)) throw wrongAnswer(res, where(), `has no "${key}" array (${NOT_JIRA})`);
  return value;
}

function rows(res: TransportResponse, where: Where, key: string, keys: readonly string[]): Wire[] {
  const out = list(res, where, key);
  out.forEach((row, i) => {
    if (!isObject(row)) throw wrongAnswer(res, where(), `has a "${key}" entry (index ${i}) that is not an object`);
    need(res, where, row, keys, ` in "${key}" entry ${i}`);
  });
  return out as Wire[];
}

/** An issue (`GET /issue/{key}`) or a created issue (`POST /issue`): `id` and `key` required. */
export function decodeIssue(res: TransportResponse, where: Where): Wire {
  const issue = body(res, where);
  need(res, where, issue, ['id', 'key']);
  return issue;
}

/** A comment (`POST .../comment`): `id` required. */
export function decodeComment(res: TransportResponse, where: Where): Wire {
  const comment = body(res, where);
  need(res, where, comment, ['id']);
  return comment;
}

/** A page of comments: a `comments` array of objects with an `id`. */
export function decodeComments(res: TransportResponse, where: Where): Wire[] {
  return rows(res, where, 'comments', ['id']);
}

/** The transitions of an issue: a `transitions` array of objects with `id` and `name`. */
export function decodeTransitions(res: TransportResponse, where: Where): Wire[] {
  return rows(res, where, 'transitions', ['id', 'name']);
}

/** A search page: an `issues` array of issues with an `id` (`key` is not promised when only `fields=id` was asked). */
export function decodeSearchPage(res: TransportResponse, where: Where): Wire[] {
  return rows(res, where, 'issues', ['id']);
}

/** A count: the number under `key` (`count` on Cloud, `total` on Data Center). */
export function decodeCount(res: TransportResponse, where: Where, key: 'count' | 'total'): number {
  const value = body(res, where)[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw wrongAnswer(res, where(), `has no "${key}" (a non-negative number)`);
  return value;
}

/** The user of `GET /myself`: an `accountId` (Cloud) or a `name` (Data Center). */
export function decodeUser(res: TransportResponse, where: Where): Wire {
  const user = body(res, where);
  if (!hasId(user['accountId']) && !hasId(user['name'])) throw wrongAnswer(res, where(), `has no "accountId" or "name" (${NOT_JIRA})`);
  return user;
}

/**
 * The users of a user search (`GET /user/search`): a JSON array of objects,
 * each with its identifiers (`accountId` on Cloud; `key` and `name` on Data Center).
 */
export function decodeUsers(res: TransportResponse, where: Where, keys: readonly string[]): Wire[] {
  const out = res.data;
  if (!Array.isArray(out)) throw wrongAnswer(res, where(), `is not a JSON array of users (${NOT_JIRA})`);
  out.forEach((row: unknown, i) => {
    if (!isObject(row)) throw wrongAnswer(res, where(), `has an entry (index ${i}) that is not an object`);
    need(res, where, row, keys, ` in entry ${i}`);
  });
  return out as Wire[];
}
