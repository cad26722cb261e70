import { describe, expect, it } from 'vitest';
import { isItsmError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { JiraClient } from '../../src/jira/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { BASE, FakeClock } from './support.js';

const CANARY = 'canary-7f3a9c1e-secret';

function collect(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(String((e as Error).message), JSON.stringify(e), (e as Error).stack ?? '');
  }
  return parts.join('\n');
}

describe('no secret in errors, events or logs', () => {
  it('keeps a canary API token, its Basic header and OAuth secrets out of every surface', async () => {
    const clock = new FakeClock();
    const fake = new FakeJira({ now: () => clock.now(), credentials: { email: 'demo@example.com', apiToken: CANARY } });
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m, f) => lines.push(m, JSON.stringify(f)),
      info: (m, f) => lines.push(m, JSON.stringify(f)),
      warn: (m, f) => lines.push(m, JSON.stringify(f)),
      error: (m, f) => lines.push(m, JSON.stringify(f)),
    };
    const seen: string[] = [];
    const surfaces = (jira: JiraClient) => {
      for (const name of ['request', 'response', 'retry', 'error'] as const) jira.events.on(name, (e: unknown) => seen.push(JSON.stringify(e), collect((e as { error?: unknown }).error)));
    };
    const good = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: CANARY }, fetch: fake.fetch, clock, logger, retry: { jitter: 'none', minDelayMs: 10, retries: 2 } });
    surfaces(good);
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 5 });
    seen.push(collect(await good.issues.get('OPS-1').catch((e: unknown) => e)));
    fake.faults.add({ fault: { kind: 'drop', when: 'after' } });
    seen.push(collect(await good.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' }).catch((e: unknown) => e)));
    seen.push(collect(await good.issues.create({ projectKey: 'OPS', issueType: 'Nope', summary: CANARY.slice(0, 3) }).catch((e: unknown) => e)));

    const wrongPair = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: `${CANARY}-old` }, fetch: fake.fetch, clock, logger });
    surfaces(wrongPair);
    seen.push(collect(await wrongPair.issues.get('OPS-1').catch((e: unknown) => e)));
    const conn = await wrongPair.testConnection();
    seen.push(collect(conn.ok ? undefined : conn.error), conn.ok ? '' : conn.message);

    const { cloudId, clientId } = fake.oauth;
    const oauth = new JiraClient({
      auth: { type: 'oauth', cloudId, accessToken: `${CANARY}-access`, refreshToken: `${CANARY}-refresh`, clientId, clientSecret: `${CANARY}-client` },
      fetch: fake.fetch,
      clock,
      logger,
    });
    surfaces(oauth);
    const oauthError = await oauth.issues.get('OPS-1').catch((e: unknown) => e);
    expect(isItsmError(oauthError)).toBe(true);
    seen.push(collect(oauthError));

    const everything = [...seen, ...lines].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(btoa(`demo@example.com:${CANARY}`));
  });
});
