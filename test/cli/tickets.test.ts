import { describe, expect, it } from 'vitest';
import { cli, configFile, stdinOf } from './helpers.js';

const VPN = 'Network – VPN';

const rules = {
  classification: {
    rules: [{ id: 'printer-jam', category: 'Hardware', topic: 'Paper Jams', matchKeywords: ['jam'], recommendedResources: [{ type: 'video', label: 'Clear a jam', url: 'https://example.com/jam' }] }],
    category_defaults: [{ category: 'Hardware', topic: 'Hardware Help', recommendedResources: [] }],
  },
};

describe('help', () => {
  it('every tickets command has --help, exit 0', async () => {
    for (const path of [['classify'], ['template'], ['template', 'list'], ['template', 'render'], ['validate']]) {
      const r = await cli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: itsmkit ${path.join(' ')}`);
    }
    expect((await cli(['classify', '--help'])).stdout).toContain('--itsm-config <path>');
  });
});

describe('itsmkit classify', () => {
  it('prints the topic, what matched, the reason and the resources; --json the whole classification', async () => {
    const human = await cli(['classify', '--category', VPN, 'VPN', 'keeps', 'dropping']);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toBe(
      [
        'topic      VPN Connectivity',
        'matched    rule network-vpn ("vpn")',
        'reason     Rule "network-vpn" matched keyword "vpn"; it was the only matching rule.',
        'resources  [doc] Windows help: VPN <https://support.microsoft.com/windows>',
        '',
      ].join('\n'),
    );
    const json = await cli(['classify', '--category', VPN, '--error-code', '809', 'cannot connect', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ topic: 'VPN Connectivity', ruleId: 'network-vpn', outcome: 'rule', matched: { errorCodes: ['809'], keywords: ['cannot connect'] }, reason: expect.stringContaining('error code 809') });
    const fallback = await cli(['classify', '--category', 'Facilities', 'the coffee machine is empty']);
    expect(fallback.stdout).toContain('topic      Unclassified / Manual Review\nmatched    no rule matched and the category has no default: the fallback\n');
    expect(fallback.stdout).toContain('resources  (none)');
  });

  it('reads a JSON request from stdin or a file; flags override its fields', async () => {
    const request = JSON.stringify({ client: 'ACME', category: 'Google Workspace – Account Access', shortDescription: 'I forgot my password', errorCode: 401 });
    const stdin = await cli(['classify', '--request', '-', '--json'], {}, { stdin: stdinOf(request) });
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.stdout)).toMatchObject({ topic: 'Google Workspace Account Access', matched: { errorCodes: ['401'] }, runnersUp: ['gws-password-reset'] });
    const file = configFile(request, 'request.json');
    const overridden = await cli(['classify', '--request', file, '--error-code', '', '--json']);
    expect(JSON.parse(overridden.stdout)).toMatchObject({ topic: 'Google Workspace Password Reset', ruleId: 'gws-password-reset' });
  });

  it('uses the rules of --itsm-config, ITSMKIT_ITSM_CONFIG or the config file', async () => {
    const path = configFile(rules, 'itsm_config.json');
    const flag = await cli(['classify', '--itsm-config', path, '--category', 'hardware', 'paper jam again', '--verbose']);
    expect(flag.stdout).toContain('topic      Paper Jams\n');
    expect(flag.stderr).toContain(`# classification rules from ${path}`);
    const env = await cli(['classify', '--category', 'Hardware', 'it is broken'], { ITSMKIT_ITSM_CONFIG: path });
    expect(env.stdout).toContain('topic      Hardware Help\nmatched    no rule matched: the category default\n');
    const config = configFile({ itsmConfig: path });
    expect((await cli(['classify', '--config', config, '--category', 'Hardware', 'jam'])).stdout).toContain('Paper Jams');
  });

  it('reads an --itsm-config file in snake_case or in camelCase', async () => {
    const resources = [{ type: 'doc', label: 'Clear a jam', url: 'https://example.com/jam' }];
    const snake = { $schema: './node_modules/itsmkit/schema/itsm-config.schema.json', classification: { rules: [{ id: 'jam', category: 'Hardware', topic: 'Paper Jams', match_keywords: ['jam'], recommended_resources: resources }], category_defaults: [{ category: 'Hardware', topic: 'Hardware Help', recommended_resources: [] }] } };
    const camel = { classification: { rules: [{ id: 'jam', category: 'Hardware', topic: 'Paper Jams', matchKeywords: ['jam'], recommendedResources: resources }], categoryDefaults: [{ category: 'Hardware', topic: 'Hardware Help', recommendedResources: [] }] } };
    for (const config of [snake, camel]) {
      const path = configFile(config, 'itsm_config.json');
      const ruled = await cli(['classify', '--itsm-config', path, '--category', 'Hardware', 'paper jam', '--json']);
      expect(JSON.parse(ruled.stdout)).toMatchObject({ topic: 'Paper Jams', ruleId: 'jam', resources });
      const defaulted = await cli(['classify', '--itsm-config', path, '--category', 'Hardware', 'it is broken', '--json']);
      expect(JSON.parse(defaulted.stdout)).toMatchObject({ topic: 'Hardware Help', outcome: 'categoryDefault' });
    }
  });

  it('nothing to classify, a bad request or a bad rules file is exit 2 with the reason', async () => {
    const nothing = await cli(['classify', '--category', VPN]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('ValidationError: Nothing to classify: text: give the short description');
    const bad = await cli(['classify', '--request', '-'], {}, { stdin: stdinOf('{"category": 3}') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ValidationError: Invalid request: ');
    expect(bad.stderr).toContain('shortDescription: ');
    const typo = await cli(['classify', '--itsm-config', configFile({ classification: { rulez: [] } }, 'itsm_config.json'), 'vpn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^ConfigError: Invalid ITSM config: classification(\.rulez)?: .*rulez/);
    const missing = await cli(['classify', '--itsm-config', '/no/such/itsm_config.json', 'vpn']);
    expect(missing).toMatchObject({ code: 2, stderr: 'ConfigError: Cannot read --itsm-config /no/such/itsm_config.json (ENOENT)\n' });
  });
});

describe('itsmkit template', () => {
  const vars = { projectKey: 'OPS', job: { id: '4711', name: 'nightly-export' }, error: { summary: 'disk full' } };

  it('list names every template with its variables', async () => {
    const human = await cli(['template', 'list']);
    expect(human.stdout).toContain('jira-job-failure-bug  (jira issue): A bug for a failed job\n  variables: job.id*, job.name*, error.summary*, error.detail, projectKey*, priority, labels\n');
    const json = JSON.parse((await cli(['template', 'list', '--json'])).stdout);
    expect(json.templates.map((t: { name: string }) => t.name)).toEqual(['servicenow-job-failure-incident', 'servicenow-standard-change', 'jira-job-failure-bug', 'jira-follow-up-task']);
  });

  it('render prints the payload and says it is valid, exit 0; --json adds the correlation key and issues', async () => {
    const file = configFile(vars, 'vars.json');
    const human = await cli(['template', 'render', 'jira-job-failure-bug', '--vars', file]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('jira-job-failure-bug -> jira issue\n{\n  "projectKey": "OPS",\n  "issueType": "Bug",\n  "summary": "Job nightly-export failed: disk full",');
    expect(human.stdout).toContain('valid: would be sent as is\n');
    const json = await cli(['template', 'render', 'servicenow-job-failure-incident', '--vars', '-', '--json'], {}, { stdin: stdinOf(JSON.stringify(vars)) });
    expect(JSON.parse(json.stdout)).toEqual({
      template: 'servicenow-job-failure-incident',
      platform: 'servicenow',
      ticketType: 'incident',
      payload: {
        shortDescription: 'Job nightly-export failed: disk full',
        description: 'Job nightly-export (4711) failed.\n\nNo further detail.',
        urgency: 'medium',
        impact: 'medium',
        category: 'software',
        contactType: 'self-service',
        correlationId: 'job-4711',
      },
      correlationKey: 'job-4711',
      issues: [],
      valid: true,
    });
  });

  it('a payload the field rules refuse is exit 1 with every issue; missing variables or an unknown template exit 2', async () => {
    const invalid = await cli(['template', 'render', 'jira-job-failure-bug', '--vars', '-'], {}, { stdin: stdinOf(JSON.stringify({ ...vars, projectKey: 'ops', priority: 'Urgent' })) });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('invalid: 2 issues\n  projectKey: must match ^[A-Z][A-Z0-9_]{1,9}$ (pattern)\n  priority: must be one of: Highest, High, Medium, Low, Lowest (enum)\n');
    const missing = await cli(['template', 'render', 'jira-job-failure-bug']);
    expect(missing).toMatchObject({ code: 2, stderr: 'TemplateError: Template "jira-job-failure-bug" cannot be rendered: missing variables job.id, job.name, error.summary, projectKey\n' });
    const unknown = await cli(['template', 'render', 'no-such-template', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'TemplateError', exitCode: 2 });
    const notObject = await cli(['template', 'render', 'jira-job-failure-bug', '--vars', '-'], {}, { stdin: stdinOf('[1, 2]') });
    expect(notObject).toMatchObject({ code: 2, stderr: 'ConfigError: The variables must be a JSON object\n' });
  });

  it('renders the templates of --itsm-config', async () => {
    const path = configFile({ templates: { 'vpn-outage': { platform: 'servicenow', ticketType: 'incident', fields: { shortDescription: 'VPN down in {site}', urgency: 'high' } } } }, 'itsm_config.json');
    const r = await cli(['template', 'render', 'vpn-outage', '--itsm-config', path, '--vars', '-', '--json'], {}, { stdin: stdinOf('{"site": "Zurich"}') });
    expect(JSON.parse(r.stdout)).toMatchObject({ payload: { shortDescription: 'VPN down in Zurich', urgency: 'high' }, valid: true });
  });
});

describe('itsmkit validate', () => {
  it('a valid payload is exit 0; --json shows the wire payload', async () => {
    const file = configFile({ shortDescription: 'VPN down', urgency: 'high', client: 'ACME' }, 'payload.json');
    expect(await cli(['validate', '--platform', 'servicenow', '--type', 'incident', file])).toMatchObject({ code: 0, stdout: 'valid servicenow incident\n' });
    const json = await cli(['validate', '--platform', 'servicenow', file, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, platform: 'servicenow', type: 'incident', issues: [], wire: { short_description: 'VPN down', urgency: '1', u_client: 'ACME' } });
  });

  it('prints every issue and exits 1 when invalid, from a file or stdin', async () => {
    const payload = JSON.stringify({ summary: 'x'.repeat(300), labels: ['has space'], surprise: true });
    const r = await cli(['validate', '--platform', 'jira', '-'], {}, { stdin: stdinOf(payload) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'invalid jira issue: 5 issues',
        '  projectKey: is required (required)',
        '  issueType: is required (required)',
        '  summary: must have at most 255 characters (got 300) (maxLength)',
        '  labels.0: must match ^[^\\s]{1,255}$ (pattern)',
        '  surprise: is not a known field of jira issue (unknown)',
        '',
      ].join('\n'),
    );
    const change = await cli(['validate', '--platform', 'servicenow', '--type', 'change_request', '-', '--json'], {}, { stdin: stdinOf('{"type": "routine"}') });
    expect(change.code).toBe(1);
    expect(JSON.parse(change.stdout)).toMatchObject({ valid: false, type: 'changeRequest', issues: [{ field: 'type', rule: 'enum' }, { field: 'shortDescription', rule: 'required' }] });
  });

  it('an unknown platform or type, a missing file or bad JSON is exit 2', async () => {
    const file = configFile({}, 'payload.json');
    const platform = await cli(['validate', '--platform', 'zendesk', file]);
    expect(platform).toMatchObject({ code: 2, stderr: 'ConfigError: Unknown platform "zendesk": platform: must be one of: servicenow, jira\n' });
    const type = await cli(['validate', '--platform', 'jira', '--type', 'epic', file]);
    expect(type).toMatchObject({ code: 2, stderr: 'ConfigError: Unknown jira ticket type "epic": ticketType: must be one of: issue\n' });
    expect((await cli(['validate', '--platform', 'jira', '/no/such/payload.json'])).stderr).toBe('ConfigError: Cannot read payload /no/such/payload.json (ENOENT)\n');
    expect((await cli(['validate', '--platform', 'jira', '-'], {}, { stdin: stdinOf('') })).stderr).toBe('ConfigError: The payload is not valid JSON (it is empty)\n');
    expect((await cli(['validate', file])).stderr).toContain("required option '--platform <platform>' not specified");
  });
});
