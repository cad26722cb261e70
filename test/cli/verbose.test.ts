import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { close, listen } from '../helpers/servers.js';
import { cli, deadUrl } from './helpers.js';

const CANARY = 'canary-Pw-9d2c41be';
const AUTH = ['--username', 'admin', '--password', CANARY];

/** Answers the incident table; the first `failFirst` requests get a 503 with `Retry-After: 0`. */
let failFirst = 0;
const answer = (_req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-request-id', 'req-42');
  if (failFirst-- > 0) {
    res.statusCode = 503;
    res.setHeader('retry-after', '0');
    res.end(JSON.stringify({ error: { message: 'busy' } }));
    return;
  }
  res.end(JSON.stringify({ result: [{ sys_id: 'abc', number: 'INC0010001' }] }));
};

let url: string;
let server: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  server = await listen(createServer(answer));
  url = `http://127.0.0.1:${server.port}`;
});
beforeEach(() => {
  failFirst = 0;
});
afterAll(() => close(server));

/** The lines of `text` that trace HTTP attempts. */
const attemptLines = (text: string) => text.split('\n').filter((l) => l.startsWith('> '));

describe('--verbose traces every HTTP attempt', () => {
  it('one line per attempt: method, URL, status, duration, attempt and the retry delay when one follows', async () => {
    failFirst = 1;
    const r = await cli(['servicenow', 'test', '--verbose', '--url', url, ...AUTH]);
    expect(r.code).toBe(0);
    const lines = attemptLines(r.stderr);
    const request = `GET ${url}/api/now/table/incident\\?\\S+`;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^> ${request} \\(attempt 1\\): 503 in \\d+ ms, request id req-42, retrying in \\d+ ms$`));
    expect(lines[1]).toMatch(new RegExp(`^> ${request} \\(attempt 2\\): 200 in \\d+ ms, request id req-42$`));
  });

  it('a connection that fails says the error name, without a retry (the CLI fails fast on a refused connection)', async () => {
    const r = await cli(['servicenow', 'test', '--verbose', '--url', await deadUrl(), ...AUTH]);
    expect(r.code).toBe(1);
    const lines = attemptLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^> GET http:\/\/127\.0\.0\.1:\d+\/api\/now\/table\/incident\?\S+ \(attempt 1\): ConnectionError after \d+ ms$/);
  });

  it('under --json, every stderr line is a JSON object: settings, attempts, then the error', async () => {
    failFirst = 1;
    const ok = await cli(['servicenow', 'test', '--verbose', '--json', '--url', url, ...AUTH]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const lines = ok.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['trace'] === 'setting')).toEqual([
      { trace: 'setting', key: 'servicenow.url', source: 'flag --url', secret: false },
      { trace: 'setting', key: 'servicenow.username', source: 'flag --username', secret: false },
      { trace: 'setting', key: 'servicenow.password', source: 'flag --password', secret: true },
    ]);
    const attempts = lines.filter((l) => l['trace'] === 'http');
    expect(attempts).toEqual([
      { trace: 'http', method: 'GET', url: expect.stringContaining(`${url}/api/now/table/incident?`), attempt: 1, status: 503, durationMs: expect.any(Number), retryInMs: expect.any(Number), requestId: 'req-42' },
      { trace: 'http', method: 'GET', url: expect.stringContaining(`${url}/api/now/table/incident?`), attempt: 2, status: 200, durationMs: expect.any(Number), requestId: 'req-42' },
    ]);
    expect(lines).toHaveLength(5);

    const failed = await cli(['servicenow', 'test', '--verbose', '--json', '--url', await deadUrl(), ...AUTH]);
    const failedLines = failed.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failedLines.filter((l) => l['trace'] === 'http')).toEqual([
      { trace: 'http', method: 'GET', url: expect.any(String), attempt: 1, error: 'ConnectionError', durationMs: expect.any(Number) },
    ]);
    expect(failedLines.at(-1)).toMatchObject({ error: { name: 'ConnectionError' } });
  });

  it('never prints a secret: not the password, not the password inside the query', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await cli(['servicenow', 'incident', 'search', '--correlation-id', CANARY, '--verbose', ...extra, '--url', url, ...AUTH]);
      expect(r.code).toBe(0);
      const [line] = r.stderr.split('\n').filter((l) => l.includes('/api/now/table/incident'));
      expect(line).toContain('sysparm_query=correlation_idIN[REDACTED]');
      expect(r.stderr).not.toContain(CANARY);
      expect(r.stdout).not.toContain(CANARY);
    }
  });
});
