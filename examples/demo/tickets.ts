import type { DemoStep } from './index.js';

/**
 * Tickets over the sandbox's HTTP API: a support request whose category has
 * automation (Google Workspace account access), one that is classified, the
 * automation activity feed, a template rendered into a Jira issue, and the
 * ITSM metrics those calls produced.
 */
export const ticketsStep: DemoStep = async (sandbox, log) => {
  const { url, fake } = sandbox.tickets;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const automated = await call(
    'POST',
    '/incident',
    {
      client: 'Archer Insurance',
      category: 'Google Workspace – Account Access',
      errorCode: '500',
      shortDescription: 'Cannot log into Google Workspace account',
      detailedDescription: 'User reports being unable to access their account after password reset.',
      priority: 'High',
      clientEmail: 'user@archerinsurance.com',
    },
    { 'idempotency-key': 'demo-request-1' },
  );
  log(`POST /incident (automated) -> ${automated.status} ${automated.body['number']}: topic "${automated.body['topic']}", automation ${JSON.stringify(automated.body['automation'])}`);

  const classified = await call('POST', '/incident', {
    client: 'Northwind Traders',
    category: 'Network – VPN',
    errorCode: '809',
    shortDescription: 'VPN disconnects every few minutes',
    priority: 'Normal',
  });
  log(`POST /incident (classified) -> ${classified.status} ${classified.body['number']}: topic "${classified.body['topic']}"`);

  const invalid = await call('POST', '/incident', { client: 'Archer Insurance', category: 'Network – VPN' });
  log(`POST /incident without shortDescription -> ${invalid.status} ${JSON.stringify(invalid.body)}`);

  const activity = await call('GET', '/automation-activity?limit=10');
  for (const a of activity.body['activities'] as { incidentNumber: string; client: string; summary: string }[]) {
    log(`activity: ${a.incidentNumber} (${a.client}) ${a.summary}`);
  }

  const listed = await call('GET', '/incidents?source=bbp&state=open&limit=5');
  log(`GET /incidents?source=bbp&state=open -> ${(listed.body['incidents'] as unknown[]).length} incident(s), total ${listed.body['total']}`);

  const variables = { projectKey: 'OPS', error: { summary: 'disk full on /var', detail: 'No space left on device' } };
  const job = { id: '4711', name: 'nightly-export' };
  const preview = await call('POST', '/templates/jira-job-failure-bug/preview', { variables, job });
  log(`preview jira-job-failure-bug -> summary "${(preview.body['payload'] as Record<string, unknown>)['summary']}", valid=${preview.body['valid']}`);
  const bug = await call('POST', '/templates/jira-job-failure-bug/tickets', { variables, job });
  log(`POST /templates/jira-job-failure-bug/tickets -> ${bug.status} ${bug.body['key']} (correlation key ${bug.body['correlationKey']})`);
  // The next create lands, but its answer is lost in a 503: the retry finds the issue by its correlation key.
  sandbox.jira.fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST', path: '/issue' } });
  const retried = await call('POST', '/templates/jira-job-failure-bug/tickets', { variables, job: { id: '4712', name: 'nightly-export' } });
  const issues = sandbox.jira.fake.issuesWithLabel(`itsmkit-corr-${String(retried.body['correlationKey'])}`);
  log(`create answered 503 after landing -> ${retried.status} ${retried.body['key']}, reconciled=${retried.body['reconciled']}, attempts=${(retried.body['retry'] as { attempts: number }).attempts}, issues with that key: ${issues.length}`);

  log('metrics:');
  for (const s of fake.metrics.series()) log(`  ${s.name}${JSON.stringify(s.labels)} ${s.kind === 'histogram' ? `count=${s.value}` : s.value}`);
};
