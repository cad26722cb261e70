import { type AnswerSource, type TransportResponse, wrongAnswer } from '../core/index.js';
import type { RawRecord } from './mapper.js';

/**
 * Response decoders of the Table API. A success body is `{"result": ...}`: an
 * object for get, create, update and replace, an array of objects for a list.
 * Every record must carry its identity columns (`need`: `sys_id`, and `number`
 * on numbered tables, which every read asks for), plain or in the
 * `{display_value, value}` form of `sysparm_display_value=all`; other columns
 * are left to the mapper, which tolerates every documented shape. Anything
 * else is an {@link UnexpectedResponseError} naming what is missing, built by
 * `wrongAnswer` (the body stays on the error, off its message). `where` is
 * called only then.
 */

const NOT_TABLE_API = 'not a Table API response: check instanceUrl, or a proxy in between';

/** The `result` record of a single-record answer. */
export function decodeRecord(res: TransportResponse, where: () => AnswerSource, need: readonly string[]): RawRecord {
  const result = resultOf(res.data);
  if (!isRecord(result)) throw wrongAnswer(res, where(), `came without a "result" object (${NOT_TABLE_API})`);
  const missing = missingColumn(result, need);
  if (missing !== undefined) throw wrongAnswer(res, where(), `has a "result" record without "${missing}" (a non-empty string)`);
  return result;
}

/** The `result` records of a list answer. */
export function decodeRecords(res: TransportResponse, where: () => AnswerSource, need: readonly string[]): RawRecord[] {
  const result = resultOf(res.data);
  if (!Array.isArray(result)) throw wrongAnswer(res, where(), `came without a "result" array of records (${NOT_TABLE_API})`);
  for (let i = 0; i < result.length; i++) {
    const row: unknown = result[i];
    if (!isRecord(row)) {
      throw wrongAnswer(res, where(), `came without a "result" array of records: row ${i} is ${row === null ? 'null' : Array.isArray(row) ? 'an array' : `a ${typeof row}`}`);
    }
    const missing = missingColumn(row, need);
    if (missing !== undefined) throw wrongAnswer(res, where(), `has a "result" row (index ${i}) without "${missing}" (a non-empty string)`);
  }
  return result as RawRecord[];
}

function resultOf(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { result?: unknown }).result : undefined;
}

function isRecord(value: unknown): value is RawRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function missingColumn(record: RawRecord, need: readonly string[]): string | undefined {
  for (const column of need) if (!hasValue(record[column])) return column;
  return undefined;
}

/** A non-empty string, plain or as the `value` (or, with display values only, `display_value`) of an object. */
function hasValue(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (value === null || typeof value !== 'object') return false;
  const { value: stored, display_value: shown } = value as { value?: unknown; display_value?: unknown };
  return (typeof stored === 'string' && stored !== '') || (stored === undefined && typeof shown === 'string' && shown !== '');
}
