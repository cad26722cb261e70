import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorKind, isItsmError, isValidationError } from '../../src/core/errors.js';
import { parseRateLimitReset, parseRetryAfter, readRateLimit } from '../../src/core/rate-limit.js';
import { Transport } from '../../src/core/transport.js';
import { adfToText, textToAdf, validateAdf } from '../../src/jira/adf.js';
import { JiraClient } from '../../src/jira/client.js';
import { jql, jqlString } from '../../src/jira/jql.js';
import { parseJiraError } from '../../src/jira/parse-error.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { encodedQuery, type QueryOperator } from '../../src/servicenow/encoded-query.js';
import { parseServiceNowError } from '../../src/servicenow/parse-error.js';
import { parseJql } from '../../src/testing/fake-jira/jql.js';
import { parseQuery } from '../../src/testing/fake-servicenow/query.js';
import { handlerFetch } from '../../src/testing/handler.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { checkProperty, runs } from './support/property.js';
import { isRetryMetadata } from './support/verdict.js';

/** Strings built from the pieces that break query languages and parsers, mixed with anything at all. */
const hostile = fc.oneof(
  fc.array(
    fc.oneof(
      fc.constantFrom('^', '^^', '^OR', '^NQ', '^ORDERBY', 'ORDERBYDESC', 'NQ', 'OR', '=', '!=', '<', '>', '<=', ',', ' ', 'javascript:', 'LIKE', 'IN', '"', "'", '\\', '\\"', '\n', '\r\n', '\t', '\u0000', '\u007f', '\u2028', 'é', '💥', '\ud800', 'AND', 'OR ', ' ORDER BY ', '(', ')', '~', '${x}', '- ', '* ', '1. ', '```', 'http://x.test/a.', '[~accountid:a]'),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 12 },
  ).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const FIELDS = ['active', 'priority', 'short_description', 'caller_id.name', 'u_client'] as const;
const VALUE_OPS: readonly QueryOperator[] = ['=', '!=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH', '<', '<=', '>', '>='];

type Step =
  | { kind: 'where' | 'or'; field: string; op: QueryOperator; value: string | number | boolean }
  | { kind: 'in'; field: string; op: 'IN' | 'NOT IN'; values: string[] }
  | { kind: 'empty'; field: string; op: 'ISEMPTY' | 'ISNOTEMPTY' }
  | { kind: 'nq' }
  | { kind: 'order'; field: string; desc: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('where' as const, 'or' as const), field: fc.constantFrom(...FIELDS), op: fc.constantFrom(...VALUE_OPS), value: fc.oneof(hostile, fc.integer(), fc.boolean()) }),
  fc.record({ kind: fc.constant('in' as const), field: fc.constantFrom(...FIELDS), op: fc.constantFrom('IN' as const, 'NOT IN' as const), values: fc.array(hostile, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('empty' as const), field: fc.constantFrom(...FIELDS), op: fc.constantFrom('ISEMPTY' as const, 'ISNOTEMPTY' as const) }),
  fc.constant({ kind: 'nq' as const }),
  fc.record({ kind: fc.constant('order' as const), field: fc.constantFrom(...FIELDS), desc: fc.boolean() }),
);

/** JQL string-literal reader: returns the decoded text and where the literal ended. */
function readJqlString(text: string): { value: string; end: number } {
  if (text[0] !== '"') throw new Error('not a string literal');
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const n = text[++i];
      if (n === 'n') value += '\n';
      else if (n === 'r') value += '\r';
      else if (n === 't') value += '\t';
      else if (n === 'u') {
        value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
        i += 4;
      } else value += n;
    } else value += c;
  }
  throw new Error('unterminated');
}

describe('fuzz: ServiceNow encoded-query builder', () => {
  it('no value adds, removes or reshapes a clause: the instance parser reads back exactly what was built', async () => {
    await checkProperty('servicenow', 'encoded query: no clause injection (hostile values, every operator)', runs(1_000), (counter) =>
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let q = encodedQuery();
        const groups: { field: string; operator: string; value: string }[][][] = [[]];
        const orders: { field: string; desc: boolean }[] = [];
        try {
          for (const s of steps) {
            counter.calls++;
            const group = groups[groups.length - 1]!;
            if (s.kind === 'nq') {
              q = q.newQuery();
              groups.push([]);
            } else if (s.kind === 'order') {
              q = s.desc ? q.orderByDesc(s.field) : q.orderBy(s.field);
              orders.push({ field: s.field, desc: s.desc });
            } else if (s.kind === 'empty') {
              q = q.where(s.field, s.op);
              group.push([{ field: s.field, operator: s.op, value: '' }]);
            } else if (s.kind === 'in') {
              q = q.where(s.field, s.op, s.values);
              group.push([{ field: s.field, operator: s.op, value: s.values.join(',') }]);
            } else {
              q = s.kind === 'or' ? q.or(s.field, s.op, s.value) : q.where(s.field, s.op, s.value);
              const condition = { field: s.field, operator: s.op, value: String(s.value) };
              if (s.kind === 'or') group[group.length - 1]!.push(condition);
              else group.push([condition]);
            }
          }
        } catch (error) {
          // Refusals are typed and name a rule.
          expect(isValidationError(error), String(error)).toBe(true);
          return;
        }
        const parsed = parseQuery(q.toString());
        expect(parsed.groups).toEqual(groups.filter((g) => g.length > 0));
        expect(parsed.orderBy).toEqual(orders);
      }),
    );
  });
});

describe('fuzz: JQL value quoting', () => {
  it('every string is one literal that decodes to itself and ends where it should', async () => {
    await checkProperty('jira', 'JQL string literal: round-trip, no early end (any Unicode)', runs(3_000), (counter) =>
      fc.property(hostile, (value) => {
        const quoted = counter.count(() => jqlString(value));
        const { value: decoded, end } = readJqlString(quoted);
        expect(end).toBe(quoted.length);
        expect(decoded).toBe(value);
        // No raw line breaks or control characters survive inside the literal.
        expect([...quoted].some((c) => (c.codePointAt(0) as number) < 0x20 || c === '\u007f')).toBe(false);
      }),
    );
  });

  it('values in a jql`` query stay values: the query parses to the clauses written', async () => {
    await checkProperty('jira', 'jql`` template: hostile values cannot add clauses', runs(800), (counter) =>
      fc.property(hostile, fc.array(hostile, { minLength: 1, maxLength: 4 }), (value, list) => {
        const parsed = parseJql(counter.count(() => jql`project = ${'OPS'} AND summary ~ ${value} AND labels in ${list} ORDER BY created DESC`));
        expect(parsed.where).toEqual({
          type: 'and',
          left: { type: 'and', left: { type: 'clause', field: 'project', op: '=', values: ['OPS'] }, right: { type: 'clause', field: 'summary', op: '~', values: [value] } },
          right: { type: 'clause', field: 'labels', op: 'in', values: list },
        });
        expect(parsed.orderBy).toEqual([{ field: 'created', direction: 'DESC' }]);
      }),
    );
  });
});

describe('fuzz: ADF conversion', () => {
  it('textToAdf never throws and always produces valid ADF', async () => {
    await checkProperty('jira', 'textToAdf: never throws, always valid ADF', runs(1_000), (counter) =>
      fc.property(hostile, (text) => {
        const doc = counter.count(() => textToAdf(text));
        expect(validateAdf(doc)).toEqual([]);
        expect(typeof adfToText(doc)).toBe('string');
      }),
    );
  });

  it('adfToText and validateAdf never throw on anything', async () => {
    await checkProperty('jira', 'adfToText / validateAdf: never throw on arbitrary values', runs(1_000), (counter) =>
      fc.property(fc.oneof(fc.anything({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 6 }), fc.record({ type: fc.constant('doc'), version: fc.constant(1), content: fc.jsonValue() })), (value) => {
        expect(typeof counter.count(() => adfToText(value))).toBe('string');
        expect(Array.isArray(counter.count(() => validateAdf(value)))).toBe(true);
      }),
    );
  });
});

describe('fuzz: rate-limit headers', () => {
  const header = fc.oneof(hostile, fc.stringMatching(/^\d{1,30}(\.\d{1,20})?$/), fc.integer({ min: 1, max: 400 }).map((n) => '9'.repeat(n)), fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));

  it('Retry-After is undefined or a finite, non-negative number of ms; X-RateLimit-Reset undefined or a valid Date', async () => {
    await checkProperty('core', 'rate-limit headers: Retry-After / X-RateLimit-Reset never NaN, Infinity, negative or Invalid Date', runs(1_500), (counter) =>
      fc.property(header, header, fc.integer({ min: 0, max: 4_102_444_800_000 }), (retryAfter, reset, now) => {
        const ms = counter.count(() => parseRetryAfter(retryAfter, now));
        if (ms !== undefined) {
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
        }
        const at = counter.count(() => parseRateLimitReset(reset));
        if (at !== undefined) expect(Number.isNaN(at.getTime())).toBe(false);
        const info = counter.count(() => readRateLimit(new Headers({ 'retry-after': headerSafe(retryAfter), 'x-ratelimit-reset': headerSafe(reset) }), now));
        for (const n of [info.retryAfterMs, info.limit, info.remaining]) if (n !== undefined) expect(Number.isFinite(n) && n >= 0).toBe(true);
      }),
    );
  });

  it('an HTTP date in Retry-After is the time until that date', async () => {
    await checkProperty('core', 'Retry-After HTTP date: ms until the date, 0 once past', runs(800), (counter) =>
      fc.property(fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (date, now) => {
        const text = date.toUTCString();
        expect(counter.count(() => parseRetryAfter(text, now))).toBe(Math.max(0, Date.parse(text) - now));
      }),
    );
  });
});

/** What can travel in a header value (Headers refuses the rest before the SDK sees it). */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

/** An arbitrary HTTP response: any status, content type, headers and body. */
const anyResponse = fc.record({
  status: fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504)),
  contentType: fc.oneof(fc.constantFrom('application/json', 'application/json;charset=UTF-8', 'text/html', 'text/plain', 'application/problem+json', ''), fc.string({ maxLength: 30 })),
  body: fc.oneof(
    hostile,
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ result: v })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ error: v, status: 'failure' })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ errorMessages: v, errors: v })),
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom('', '<html><body>Hibernating</body></html>', '{"result":', 'null', '[]', '{"result":null}', '{"result":[]}', '{"result":{"sys_id":1}}'),
  ),
  retryAfter: fc.option(hostile, { nil: undefined }),
  reset: fc.option(fc.oneof(hostile, fc.stringMatching(/^\d{1,30}$/)), { nil: undefined }),
});
type AnyResponse = typeof anyResponse extends fc.Arbitrary<infer T> ? T : never;

function toResponse(r: AnyResponse): Response {
  const headers: Record<string, string> = {};
  if (r.contentType) headers['content-type'] = headerSafe(r.contentType);
  if (r.retryAfter !== undefined) headers['retry-after'] = headerSafe(r.retryAfter);
  if (r.reset !== undefined) headers['x-ratelimit-reset'] = headerSafe(r.reset);
  const nullBody = r.status === 204 || r.status === 205 || r.status === 304;
  return new Response(nullBody ? null : r.body, { status: r.status, headers });
}

/** Runs `call` against a server answering `responses` in turn (the last one repeats); the call must resolve or fail typed with retry metadata. */
async function neverThrowsUntyped(call: () => Promise<unknown>): Promise<void> {
  const outcome = await call().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) return;
  expect(isItsmError(outcome), `${(outcome as Error)?.name}: ${(outcome as Error)?.message}`).toBe(true);
  // Input validation errors come before any request; everything else ended a call and says how it went.
  if (!isValidationError(outcome)) expect(isRetryMetadata((outcome as { retry?: unknown }).retry), String(outcome)).toBe(true);
  // Bodies stay off messages.
  expect(JSON.stringify(outcome)).not.toContain('sandbox-password');
}

describe('fuzz: transport response handling', () => {
  const serve = (responses: AnyResponse[]) => {
    let i = 0;
    return handlerFetch(async () => toResponse(responses[Math.min(i++, responses.length - 1)] as AnyResponse));
  };

  it('the transport resolves or throws an ItsmError with retry metadata, whatever comes back', async () => {
    await checkProperty('core', 'transport: arbitrary status / content-type / body / headers, raw request', runs(800), (counter) =>
      fc.asyncProperty(fc.array(anyResponse, { minLength: 1, maxLength: 3 }), fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH') as fc.Arbitrary<'GET' | 'POST' | 'DELETE' | 'PATCH'>, fc.constantFrom('json', 'text', 'none') as fc.Arbitrary<'json' | 'text' | 'none'>, fc.boolean(), async (responses, method, responseType, servicenow) => {
        const transport = new Transport({
          baseUrl: 'https://acme.service-now.com',
          platform: servicenow ? 'servicenow' : 'jira',
          fetch: serve(responses),
          clock: new FakeClock(),
          retry: { retries: 2, minDelayMs: 10, totalBudgetMs: 60_000 },
          parseError: servicenow ? parseServiceNowError : parseJiraError,
        });
        counter.calls++;
        await neverThrowsUntyped(() => transport.request({ method, path: '/api/x', ...(method === 'GET' || method === 'DELETE' ? {} : { json: { a: 1 } }), responseType }));
      }),
    );
  });

  it('ServiceNow and Jira clients resolve or throw typed, whatever the server answers', async () => {
    await checkProperty('core', 'clients: arbitrary answers to incident/issue get, create and search', runs(400), (counter) =>
      fc.asyncProperty(fc.array(anyResponse, { minLength: 1, maxLength: 3 }), fc.constantFrom('sn.get', 'sn.create', 'sn.search', 'jira.get', 'jira.create', 'jira.search'), async (responses, op) => {
        const fetch = serve(responses);
        const clock = new FakeClock();
        const retry = { retries: 2, minDelayMs: 10 };
        const sn = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch, clock, retry });
        const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'a@b.c', apiToken: 'sandbox-password' }, fetch, clock, retry, consistency: { polls: 2, intervalMs: 10 } });
        counter.calls++;
        await neverThrowsUntyped(async () => {
          switch (op) {
            case 'sn.get':
              return sn.incidents.get('INC0010001');
            case 'sn.create':
              return sn.incidents.create({ shortDescription: 'x', correlationId: 'fuzz-1' });
            case 'sn.search':
              return sn.incidents.search({ active: true });
            case 'jira.get':
              return jira.issues.get('OPS-1');
            case 'jira.create':
              return jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x', correlationKey: 'fuzz-1' });
            default: {
              const out = [];
              for await (const issue of jira.issues.iterate(jql`project = ${'OPS'}`, { limit: 5 })) out.push(issue);
              return out;
            }
          }
        });
      }),
    );
  });

  it('platform error parsers never throw on any body', async () => {
    await checkProperty('core', 'parseServiceNowError / parseJiraError: never throw', runs(1_000), (counter) =>
      fc.property(fc.oneof(fc.anything({ maxDepth: 4 }), hostile), (body) => {
        counter.count(() => parseServiceNowError(body));
        counter.count(() => parseJiraError(body));
        expect(hasErrorKind(body, 'ItsmError')).toBe(false);
      }),
    );
  });
});
