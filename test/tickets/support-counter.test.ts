import { describe, expect, it } from 'vitest';
import { isConfigError, isValidationError, type ValidationError } from '../../src/core/errors.js';
import type { Acknowledgement, Notifier } from '../../src/tickets/ports.js';
import { SupportCounter } from '../../src/tickets/support-counter.js';
import { clientFromDescription, composeDescription, type SupportRequest } from '../../src/tickets/support-request.js';
import { TicketService } from '../../src/tickets/ticket-service.js';
import { autoLines } from '../../src/tickets/work-notes.js';
import { setup, unexpected } from './support.js';

const archer: SupportRequest = {
  client: 'Archer Insurance',
  category: 'Google Workspace – Account Access',
  errorCode: '500',
  shortDescription: 'Cannot log into Google Workspace account',
  detailedDescription: 'User reports being unable to access their account after password reset.',
  priority: 'High',
  clientEmail: 'user@archerinsurance.com',
};
const vpn: SupportRequest = { client: 'Northwind', category: 'Network – VPN', shortDescription: 'VPN disconnects', errorCode: '809', priority: 'Low' };

function recordingNotifier(emailSent = true): Notifier & { sent: Acknowledgement[] } {
  const sent: Acknowledgement[] = [];
  return {
    sent,
    async sendAcknowledgement(ack) {
      sent.push(ack);
      return { emailSent, emailProvider: emailSent ? 'test-mail' : null };
    },
  };
}

function counter(options: Partial<ConstructorParameters<typeof SupportCounter>[0]> = {}) {
  const env = setup();
  const support = new SupportCounter({ tickets: env.tickets, logger: env.logger, ...options });
  const workNotes = () => env.snFake.table('sys_journal_field').filter((r) => r['element'] === 'work_notes').map((r) => r['value']);
  return { ...env, support, workNotes };
}

describe('SupportCounter.createSupportIncident', () => {
  it('creates the incident with the support field mapping and description', async () => {
    const { support, snFake } = counter();
    await support.createSupportIncident(archer);
    expect(snFake.requestsTo('/api/now/table/incident', 'POST')[0]?.body).toEqual({
      short_description: 'Cannot log into Google Workspace account',
      description: 'User reports being unable to access their account after password reset.\n\nError Code: 500\n\nClient: Archer Insurance',
      category: 'Google Workspace – Account Access',
      u_client: 'Archer Insurance',
      u_source: 'BBP Support Counter',
      contact_type: 'self-service',
      u_client_email: 'user@archerinsurance.com',
      impact: '1',
      urgency: '1',
    });
    expect(snFake.table('incident')[0]?.['priority']).toBe('1');
  });

  it('runs the Google Workspace automation: acknowledgement, automation work note, enriched result', async () => {
    const notifier = recordingNotifier();
    const { support, workNotes, snFake } = counter({ notifier });
    const result = await support.createSupportIncident(archer);
    const row = snFake.table('incident')[0];
    expect(result).toMatchObject({
      sysId: row?.['sys_id'],
      number: row?.['number'],
      client: 'Archer Insurance',
      category: 'Google Workspace – Account Access',
      shortDescription: 'Cannot log into Google Workspace account',
      detailedDescription: archer.detailedDescription,
      state: '1',
      priority: 'High',
      topic: 'Google Workspace Account Access',
      automation: { classified: true, emailSent: true, emailProvider: 'test-mail', workNoteAdded: true },
      automationName: 'google-workspace-account-access',
    });
    expect(notifier.sent).toEqual([
      expect.objectContaining({ to: 'user@archerinsurance.com', incidentNumber: row?.['number'], topic: 'Google Workspace Account Access', client: 'Archer Insurance' }),
    ]);
    expect(workNotes()).toEqual([
      [
        "[AUTO] Classified as 'Google Workspace Account Access'",
        'Acknowledgement email sent to user@archerinsurance.com.',
        'Recommended self-service resources:',
        '  • Google Workspace Account Access Troubleshooting (doc)',
      ].join('\n'),
    ]);
  });

  it('a repeat with the same key returns the incident and sends no second acknowledgement or work note', async () => {
    const notifier = recordingNotifier();
    const { support, snFake, workNotes } = counter({ notifier });
    const first = await support.createSupportIncident(archer, { correlationKey: 'req-42' });
    const again = await support.createSupportIncident(archer, { correlationKey: 'req-42' });
    expect(again).toMatchObject({ sysId: first.sysId, number: first.number, ticket: { created: false }, automation: { emailSent: false, workNoteAdded: false } });
    expect(first.ticket.created).toBe(true);
    expect(snFake.table('incident')).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
    expect(workNotes()).toHaveLength(1);
  });

  it('with the default notifier the acknowledgement is logged, not sent (emailSent false)', async () => {
    const { support, workNotes, logger } = counter();
    const result = await support.createSupportIncident(archer);
    expect(result.automation).toEqual({ classified: true, emailSent: false, emailProvider: null, workNoteAdded: true });
    expect(workNotes()[0]).not.toContain('Acknowledgement email sent');
    const logged = logger.lines.find((l) => l.message === 'tickets.sendAcknowledgement');
    expect(logged?.fields).toMatchObject({ operation: 'sendAcknowledgement', outcome: 'logged', platform: 'servicenow' });
    expect(JSON.stringify(logger.lines)).not.toContain('user@archerinsurance.com');
  });

  it('classifies a category without automation: standard work note, no acknowledgement', async () => {
    const notifier = recordingNotifier();
    const { support, workNotes } = counter({ notifier });
    const result = await support.createSupportIncident(vpn);
    expect(result).toMatchObject({ topic: 'VPN Connectivity', automationName: null, priority: 'Low', automation: { classified: true, emailSent: false, workNoteAdded: true } });
    expect(result.classification.ruleId).toBe('network-vpn');
    expect(notifier.sent).toEqual([]);
    expect(workNotes()).toEqual(["[AUTO] Classified as 'VPN Connectivity'\nRecommended resources:\n  • Windows help: VPN (doc)"]);
  });

  it('acknowledges classified requests too when asked, with the standard acknowledgement line', async () => {
    const notifier = recordingNotifier();
    const { support, workNotes } = counter({ notifier, acknowledgeClassified: true });
    await support.createSupportIncident({ ...vpn, clientEmail: 'it@northwind.example' });
    expect(notifier.sent).toHaveLength(1);
    expect(workNotes()[0]).toBe(
      "[AUTO] Classified as 'VPN Connectivity'\n[AUTO] Sent acknowledgement and self-service resources to it@northwind.example.\nRecommended resources:\n  • Windows help: VPN (doc)",
    );
  });

  it('falls back to Unclassified / Manual Review (classified: false)', async () => {
    const { support, workNotes } = counter();
    const result = await support.createSupportIncident({ client: 'X', category: 'Facilities', shortDescription: 'Broken chair' });
    expect(result).toMatchObject({ topic: 'Unclassified / Manual Review', recommendedResources: [], automation: { classified: false, workNoteAdded: true } });
    expect(workNotes()).toEqual(["[AUTO] Classified as 'Unclassified / Manual Review'"]);
  });

  it('resolves the contact email through the port', async () => {
    const notifier = recordingNotifier();
    const { support, snFake } = counter({ notifier, contactResolver: { resolveEmail: async (r) => (r.clientId === 'c-7' ? 'contact@archer.example' : undefined) } });
    await support.createSupportIncident({ ...archer, clientEmail: undefined, clientId: 'c-7' });
    expect(snFake.table('incident')[0]?.['u_client_email']).toBe('contact@archer.example');
    expect(notifier.sent[0]?.to).toBe('contact@archer.example');
  });

  it('a request missing shortDescription is a ValidationError naming the path; nothing is sent', async () => {
    const { support, snFake } = counter();
    const error = (await support.createSupportIncident({ client: 'A', category: 'B', clientEmail: 'not-an-email' } as SupportRequest).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues).toEqual([
      { field: 'shortDescription', rule: 'invalid_type', message: 'Required' },
      { field: 'clientEmail', rule: 'invalid_format', message: expect.any(String) },
    ]);
    expect(snFake.requestsTo('/api/now/table/', 'POST')).toHaveLength(0);
  });

  it('a failing work note or automation never fails the request (the incident exists)', async () => {
    const { support, snFake, logger } = counter({
      automations: [{ name: 'broken', category: 'network - vpn', run: async () => Promise.reject(new Error('boom')) }],
    });
    snFake.faults.add({ fault: { kind: 'status', status: 403, body: { error: { message: 'nope' }, status: 'failure' } }, match: { method: 'PATCH' } });
    const result = await support.createSupportIncident(vpn);
    expect(result).toMatchObject({ topic: 'VPN Connectivity', automationName: null, automation: { workNoteAdded: false } });
    expect(logger.lines.map((l) => [l.fields['operation'], l.fields['outcome']])).toEqual(
      expect.arrayContaining([['automation', 'error'], ['addWorkNote', 'error'], ['createSupportIncident', 'success']]),
    );
  });

  it('needs a TicketService with a ServiceNow client', () => {
    expect(() => new SupportCounter({ tickets: new TicketService() })).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    try {
      new SupportCounter({ tickets: new TicketService() });
    } catch (e) {
      expect(isConfigError(e)).toBe(true);
    }
  });
});

describe('listIncidents and automationActivity', () => {
  async function seeded() {
    const env = counter();
    await env.support.createSupportIncident(archer);
    await env.support.createSupportIncident(vpn);
    await env.servicenow.incidents.create({ shortDescription: 'Not from the counter' });
    const [first] = env.snFake.table('incident');
    await env.servicenow.incidents.resolve(first?.['sys_id'] ?? '', { closeCode: 'Solution provided', closeNotes: 'done' });
    return env;
  }

  it('filters by source, state and paging, and parses the client', async () => {
    const { support, snFake } = await seeded();
    const bbp = await support.listIncidents({ source: 'bbp' });
    expect(bbp.total).toBe(2);
    expect(bbp.incidents.map((i) => i.client).sort()).toEqual(['Archer Insurance', 'Northwind']);
    expect(bbp.incidents[0]).toEqual(
      expect.objectContaining({ sysId: expect.any(String), number: expect.stringMatching(/^INC/), shortDescription: expect.any(String), state: expect.any(String), sysCreatedOn: expect.any(String) }),
    );
    const open = await support.listIncidents({ source: 'bbp', state: 'open' });
    expect(open.incidents.map((i) => i.client)).toEqual(['Northwind']);
    const resolved = await support.listIncidents({ state: 'resolved' });
    expect(resolved.incidents.map((i) => i.state)).toEqual(['6']);
    const byNumber = await support.listIncidents({ state: '6', limit: '1', offset: '0' });
    expect(byNumber.incidents).toHaveLength(1);
    const all = await support.listIncidents({ limit: 2, offset: 2 });
    expect(all.incidents).toHaveLength(1);
    const query = snFake.requestsTo('/api/now/table/incident', 'GET').at(-4)?.query['sysparm_query'];
    expect(query).toBe('stateIN1,2,3^descriptionLIKEClient:^ORDERBYDESCsys_created_on');
  });

  it('refuses bad filters naming each', async () => {
    const { support } = counter();
    const error = (await support.listIncidents({ source: 'web', state: 'pending', limit: 0 }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.field).sort()).toEqual(['limit', 'state']);
    const source = (await support.listIncidents({ source: 'web' }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(source.issues).toEqual([{ field: 'source', rule: 'enum', message: 'must be "bbp"' }]);
  });

  it('extracts [AUTO] lines with the work-notes query', async () => {
    const { support, snFake } = await seeded();
    const { activities, count } = await support.automationActivity();
    expect(count).toBe(2);
    expect(activities.map((a) => [a.client, a.summary]).sort()).toEqual([
      ['Archer Insurance', "Classified as 'Google Workspace Account Access'"],
      ['Northwind', "Classified as 'VPN Connectivity'"],
    ]);
    expect(activities[0]).toEqual({ timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), incidentNumber: expect.stringMatching(/^INC/), client: expect.any(String), summary: expect.any(String), sysId: expect.any(String) });
    const get = snFake.requestsTo('/api/now/table/incident', 'GET').at(-1);
    expect(get?.query).toMatchObject({ sysparm_query: 'work_notesLIKE[AUTO]^descriptionLIKEClient:^ORDERBYDESCsys_updated_on', sysparm_limit: '50', sysparm_display_value: 'all' });
    expect((await support.automationActivity({ limit: 1 })).count).toBe(1);
  });
});

describe('support request helpers', () => {
  it('compose and parse the description', () => {
    expect(composeDescription({ client: 'A' })).toBe('Client: A');
    expect(composeDescription({ client: 'A', errorCode: '42', detailedDescription: 'd' })).toBe('d\n\nError Code: 42\n\nClient: A');
    expect(clientFromDescription('x\nClient: Foo Bar  \nmore')).toBe('Foo Bar');
    expect(clientFromDescription('no client here')).toBeNull();
    expect(autoLines("2026-01-05 09:00:00 - Admin (Work notes)\n[AUTO] Classified as 'X'\n  • doc\n[AUTO]   second \n")).toEqual(["Classified as 'X'", 'second']);
  });
});
