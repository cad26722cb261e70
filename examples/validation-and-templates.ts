/**
 * docs/validation-and-templates.md: field rules, templates and TicketService
 * against the sandbox (in your code: `from 'itsmkit'`, and your instance).
 */
import assert from 'node:assert/strict';
import {
  compilePayloadValidators,
  compileValidator,
  isTemplateError,
  isValidationError,
  loadItsmConfig,
  renderTemplate,
  ServiceNowClient,
  TemplateRegistry,
  TicketService,
  toHttpValidationBody,
} from '../src/index.js';
import { startSandbox } from '../src/testing/index.js';

// 1. A config: yours merges over the defaults (an itsm_config.json works as it is, snake_case and all).
const input = {
  field_mapping: {
    servicenow: {
      incident: {
        shortDescription: { required: true, maxLength: 80 },
        urgency: { enum: ['high', 'medium', 'low'], wireValues: { high: '1', medium: '2', low: '3' } },
        client: { wire: 'u_client', required: true },
        correlationId: { maxLength: 100 },
      },
    },
  },
  templates: {
    'vpn-outage': {
      platform: 'servicenow',
      ticketType: 'incident',
      variables: { site: { type: 'string' }, urgency: { type: 'string', default: 'high' } },
      fields: { shortDescription: 'VPN down in {site}', urgency: '{urgency}', client: '{client}', correlationId: 'vpn-{site}' },
    },
  },
} as const;
const config = loadItsmConfig(input);

// 2. Validate: every issue at once, or the wire-mapped payload.
const validators = compilePayloadValidators(config);
const incident = validators.get('servicenow', 'incident');
const bad = incident.validate({ shortDescription: '', urgency: 'urgent', colour: 'red' });
if (!bad.ok) for (const issue of bad.issues) console.log(`issue: ${issue.field} ${issue.message} (${issue.rule})`);
assert.equal(bad.ok, false);
assert.deepEqual(bad.issues.map((i) => i.field), ['shortDescription', 'urgency', 'client', 'colour']);
const good = incident.validate({ shortDescription: 'VPN down', urgency: 'high', client: 'ACME' });
console.log('wire payload:', good.value); // { short_description: 'VPN down', urgency: '1', u_client: 'ACME' }
assert.deepEqual(good.value, { short_description: 'VPN down', urgency: '1', u_client: 'ACME' });
console.log('400 body:', JSON.stringify(toHttpValidationBody(bad.issues)));

// A validator of your own, with a named custom check.
const jobValidator = compileValidator(
  { jobId: { required: true, custom: 'jobId' }, retries: { type: 'integer' } },
  { checks: { jobId: (value) => (String(value).startsWith('job-') ? undefined : 'must start with "job-"') } },
);
assert.deepEqual(jobValidator.validate({ jobId: '42', retries: 1.5 }).issues.map((i) => i.rule), ['custom', 'type']);

// 3. Templates: compiled once, every missing variable reported at once.
const templates = new TemplateRegistry(config.templates);
const rendered = templates.render('vpn-outage', { site: 'Zurich', client: 'ACME' });
console.log('rendered:', rendered.payload);
assert.deepEqual(rendered.payload, { shortDescription: 'VPN down in Zurich', urgency: 'high', client: 'ACME', correlationId: 'vpn-Zurich' });
try {
  templates.render('vpn-outage', {});
} catch (error) {
  assert.ok(isTemplateError(error));
  console.log(`TemplateError: missing ${error.missing.join(', ')}`);
  assert.deepEqual(error.missing, ['site', 'client']);
}
// One-off rendering of a definition.
const once = renderTemplate({ platform: 'jira', ticketType: 'issue', fields: { summary: 'Follow up on {ticket}', labels: '{labels}' } }, { ticket: 'INC0010001', labels: ['vpn'] });
assert.deepEqual(once.payload, { summary: 'Follow up on INC0010001', labels: ['vpn'] });

// 4. TicketService: validate -> send, from templates, without duplicates.
const sandbox = await startSandbox();
try {
  const servicenow = new ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
  // Give TicketService the same input (it loads and checks it itself).
  const tickets = new TicketService({ servicenow, config: input });

  const preview = tickets.previewTemplate('vpn-outage', { site: 'Basel', client: 'ACME' });
  console.log(`preview: ${preview.issues.length} issues, correlation key ${preview.correlationKey}`);

  const created = await tickets.createFromTemplate('vpn-outage', { site: 'Basel', client: 'ACME' }, { job: { id: 'alert-77' } });
  console.log(`created ${created.number} (correlation key ${created.correlationKey})`);
  const again = await tickets.createFromTemplate('vpn-outage', { site: 'Basel', client: 'ACME' });
  assert.equal(again.correlationKey, created.correlationKey);

  try {
    await tickets.create({ platform: 'servicenow', payload: { shortDescription: 'x'.repeat(81) } });
  } catch (error) {
    assert.ok(isValidationError(error));
    console.log(`ValidationError, nothing sent: ${error.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  }
  tickets.close();
} finally {
  await sandbox.close();
}
