import type { ClassificationConfig, FieldMap } from '../../src/index.js';
import { itsmkit, testing } from '../itsmkit.js';
import { medianMicros, quantile, type BenchResult, type BenchSuite } from '../lib.js';

const { compileClassifier, compileValidator, DEFAULT_ITSM_CONFIG, ServiceNowClient, TemplateRegistry, TicketService } = itsmkit;
const { FakeServiceNow, serveHandler } = testing;

/** Validation, template rendering and classification (issue 4's pure-function targets), and 100 concurrent creations. */
export const ticketsSuite: BenchSuite = {
  name: 'tickets',
  async run() {
    // 20 of the default ServiceNow incident rules, and a payload that exercises them.
    const rules: FieldMap = Object.fromEntries(Object.entries(DEFAULT_ITSM_CONFIG.fieldMapping.servicenow.incident).slice(0, 20));
    const validator = compileValidator(rules, { wireCase: 'snake' });
    const payload = {
      shortDescription: 'Cannot log into Google Workspace account',
      description: 'User reports being unable to access their account after password reset.\n\nError Code: 500',
      urgency: 'high',
      impact: 'medium',
      state: 'new',
      category: 'software',
      subcategory: 'email',
      contactType: 'self-service',
      callerId: '6816f79cc0a8016401c5a33be04be441',
      assignmentGroup: 'Service Desk',
      correlationId: 'job-42:attempt-1',
      workNotes: 'Opened by itsmkit',
    };
    if (!validator.validate(payload).ok) throw new Error('bench payload does not validate');

    const templates = new TemplateRegistry(DEFAULT_ITSM_CONFIG.templates);
    const variables = { job: { id: '42', name: 'nightly-export' }, error: { summary: 'disk full', detail: 'No space left on /var' }, projectKey: 'OPS' };
    templates.render('jira-job-failure-bug', variables);

    const words = Array.from({ length: 1500 }, (_, i) => `term${i}`);
    const config: ClassificationConfig = {
      rules: Array.from({ length: 500 }, (_, i) => ({
        id: `rule-${i}`,
        category: `Category ${i % 20}`,
        topic: `Topic ${i}`,
        matchKeywords: [words[i * 3] as string, `${words[i * 3 + 1]} ${words[i * 3 + 2]}`, 'password'],
        matchErrorCodes: [`E${i}`],
        recommendedResources: [{ type: 'doc' as const, label: `Doc ${i}`, url: `https://example.com/${i}` }],
      })),
      categoryDefaults: [],
      fallback: { topic: 'Unclassified / Manual Review', recommendedResources: [] },
    };
    const classifier = compileClassifier(config);
    const request = {
      category: 'Category 7',
      errorCode: 'E407',
      shortDescription: 'Cannot log into the account after a password reset',
      detailedDescription: `User reports term21 and term22 term23 failing since this morning; tried clearing cookies, another browser and a new device without luck. ${words[1207]}`,
    };
    if (classifier.classify(request).ruleId !== 'rule-407') throw new Error('bench request does not classify as expected');

    const pure: BenchResult[] = [
      { name: 'validate one payload against 20 rules (median)', unit: 'µs', value: medianMicros(() => validator.validate(payload)), note: 'target < 20 µs; budget 10 ms' },
      { name: 'render a default template (median)', unit: 'µs', value: medianMicros(() => templates.render('jira-job-failure-bug', variables)), note: 'target < 10 µs; budget 5 ms' },
      { name: 'classify one request against 500 rules (median)', unit: 'µs', value: medianMicros(() => classifier.classify(request)), note: 'target < 20 µs' },
    ];
    return [...pure, ...(await concurrentCreations())];
  },
};

/**
 * 100 TicketService creations at once against a FakeServiceNow served on
 * loopback (real HTTP through the transport), 5 rounds after a warm-up; every
 * creation must succeed. Latency is per creation, validation included.
 */
async function concurrentCreations(): Promise<BenchResult[]> {
  const fake = new FakeServiceNow();
  const server = await serveHandler(fake.handle);
  const tickets = new TicketService({
    servicenow: new ServiceNowClient({ instanceUrl: server.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } }),
  });
  let n = 0;
  const createOne = async () => {
    const id = ++n;
    const started = performance.now();
    await tickets.create({
      platform: 'servicenow',
      payload: { shortDescription: `Job ${id} failed`, description: 'Nightly export failed.', urgency: 'high', impact: 'medium', category: 'software' },
      job: { id: String(id) },
    });
    return performance.now() - started;
  };
  try {
    await Promise.all(Array.from({ length: 100 }, createOne));
    const latencies: number[] = [];
    const walls: number[] = [];
    for (let round = 0; round < 5; round++) {
      const wall = performance.now();
      latencies.push(...(await Promise.all(Array.from({ length: 100 }, createOne))));
      walls.push(performance.now() - wall);
    }
    const created = fake.table('incident').length;
    if (created !== n) throw new Error(`expected ${n} incidents, the fake has ${created}`);
    return [
      { name: '100 concurrent creations, loopback (p50)', unit: 'ms', value: quantile(latencies, 0.5), note: `${latencies.length} creations, all succeeded` },
      { name: '100 concurrent creations, loopback (p95)', unit: 'ms', value: quantile(latencies, 0.95), note: 'budget: p95 < 2 s' },
      { name: '100 concurrent creations, loopback (wall per round, median)', unit: 'ms', value: quantile(walls, 0.5) },
    ];
  } finally {
    tickets.close();
    await server.close();
  }
}
