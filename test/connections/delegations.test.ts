import { describe, expect, it } from 'vitest';
import {
  type Actor,
  ConnectionService,
  CredentialDelegationService,
  type DataSourceError,
  isConfigError,
  isDataSourceError,
  MemoryConnectionStore,
  MemoryDelegationStore,
  type WebhookPayload,
} from '../../src/index.js';
import { createDataSourcesSandbox } from '../../src/testing/index.js';

const CANARY = 'CANARY-delegate-cred-31f4';
const T0 = Date.parse('2026-01-19T10:00:00.000Z');
const ORG = '6f1c2b9a-0000-4000-8000-000000000001';
const member: Actor = { userId: '6f1c2b9a-0000-4000-8000-0000000000a1', userEmail: 'member@example.com', organizationId: ORG, role: 'member' };

async function setup() {
  let now = T0;
  const clock = { now: () => now, sleep: async () => {} };
  const sent: WebhookPayload[] = [];
  let webhookDown = false;
  const connections = new MemoryConnectionStore();
  const service = new ConnectionService({
    store: connections,
    clock,
    webhook: {
      send: async (payload) => {
        if (webhookDown) throw new Error('down');
        sent.push(payload);
      },
    },
  });
  const store = new MemoryDelegationStore();
  const delegations = new CredentialDelegationService({ connections, store, service, clock });
  await service.seed(member);
  const itsm = (await service.list(member, { type: 'servicenow_itsm' }))[0]!;
  return {
    service,
    delegations,
    store,
    sent,
    itsm,
    advance: (ms: number) => (now += ms),
    setWebhookDown: (down: boolean) => (webhookDown = down),
  };
}

async function refusal(promise: Promise<unknown>): Promise<DataSourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDataSourceError(error), String(error)).toBe(true);
  return error as DataSourceError;
}

const input = { config: { instance: 'acme.service-now.com' }, credentials: { username: 'svc', password: CANARY } };

describe('CredentialDelegationService.validateCredentials (the redeem step)', () => {
  it("marks the invitation used and hands the delegate's credentials to the external service as a verification of the ITSM connection", async () => {
    const s = await setup();
    const { delegation, token } = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'itsm-admin@acme.test' });
    s.advance(60_000);
    const result = await s.delegations.validateCredentials(token, input);
    expect(result.delegation).toMatchObject({ id: delegation.id, status: 'used', usedAt: '2026-01-19T10:01:00.000Z' });
    expect(result.verification).toEqual({ id: s.itsm.id, status: 'verifying', message: 'Verification in progress' });
    expect(await s.store.get(ORG, delegation.id)).toMatchObject({ status: 'used', usedAt: '2026-01-19T10:01:00.000Z' });
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]).toMatchObject({ action: 'verify_credentials', user_email: 'itsm-admin@acme.test', user_id: member.userId, tenant_id: ORG, connection_id: s.itsm.id, connection_type: 'servicenow_itsm', credentials: input.credentials });
    expect((await s.service.get(member, s.itsm.id)).status).toBe('verifying');
  });

  it('refuses a second redeem, a revoked and an expired invitation, and an unknown token, each with its own code and nothing changed', async () => {
    const s = await setup();
    const { token } = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'a@acme.test' });
    await s.delegations.validateCredentials(token, input);
    const twice = await refusal(s.delegations.validateCredentials(token, input));
    expect([twice.code, twice.status]).toEqual(['delegation_used', 409]);

    const revoked = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'b@acme.test' });
    await s.delegations.revoke(member, revoked.delegation.id);
    const r = await refusal(s.delegations.validateCredentials(revoked.token, input));
    expect([r.code, r.status]).toEqual(['delegation_revoked', 410]);

    const expiring = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'c@acme.test' });
    s.advance(168 * 3_600_000);
    const e = await refusal(s.delegations.validateCredentials(expiring.token, input));
    expect([e.code, e.status]).toEqual(['delegation_expired', 410]);
    expect((await s.store.get(ORG, expiring.delegation.id))?.status).toBe('pending');

    const unknown = await refusal(s.delegations.validateCredentials('no-such-token', input));
    expect(unknown.code).toBe('not_found');
    expect(s.sent).toHaveLength(1);
    for (const error of [twice, r, e, unknown]) expect(JSON.stringify(error.body()) + error.message + String(error.stack)).not.toMatch(new RegExp(`${CANARY}|${token}`));
  });

  it('lets exactly one of many concurrent redeems of one invitation through', async () => {
    const s = await setup();
    const { token } = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'a@acme.test' });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.delegations.validateCredentials(token, input)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as DataSourceError).code] : []));
    expect(new Set(codes)).toEqual(new Set(['delegation_used']));
    expect(s.sent).toHaveLength(1);
  });

  it('leaves the invitation pending when the credentials could not be sent, so the delegate can try again', async () => {
    const s = await setup();
    const { delegation, token } = await s.delegations.create(member, { itsm_system_type: 'servicenow_itsm', delegate_email: 'a@acme.test' });
    s.setWebhookDown(true);
    const failed = await refusal(s.delegations.validateCredentials(token, input));
    expect(failed.code).toBe('webhook_failed');
    expect(await s.store.get(ORG, delegation.id)).toMatchObject({ status: 'pending', usedAt: null });
    s.setWebhookDown(false);
    expect((await s.delegations.validateCredentials(token, input)).delegation.status).toBe('used');
  });

  it('refuses a bad body before touching anything, and a used invitation cannot be revoked', async () => {
    const s = await setup();
    const { delegation, token } = await s.delegations.create(member, { itsm_system_type: 'jira', delegate_email: 'a@acme.test' });
    expect((await refusal(s.delegations.validateCredentials(token, { credentials: 'nope' } as never))).code).toBe('invalid_request');
    expect((await refusal(s.delegations.validateCredentials(undefined as never, input))).code).toBe('invalid_request');
    expect((await s.store.get(ORG, delegation.id))?.status).toBe('pending');
    await s.delegations.validateCredentials(token, input);
    expect((await refusal(s.delegations.revoke(member, delegation.id))).code).toBe('delegation_used');
  });

  it('needs the service to redeem, and a store', async () => {
    const connections = new MemoryConnectionStore();
    const bare = new CredentialDelegationService({ connections, store: new MemoryDelegationStore() });
    const { token } = await bare.create(member, { itsm_system_type: 'jira', delegate_email: 'a@acme.test' });
    expect(isConfigError(await bare.validateCredentials(token, input).catch((e: unknown) => e))).toBe(true);
    expect(() => new CredentialDelegationService({ connections } as never)).toThrow(/needs a store/);
    expect(() => new ConnectionService({ webhook: { send: async () => {} } } as never)).toThrow(/needs a store/);
  });
});

describe('POST /api/credential-delegations/redeem', () => {
  it('redeems without a session (the token is the credential), once', async () => {
    const sandbox = createDataSourcesSandbox();
    const call = async (path: string, body: unknown, token?: string) => {
      const response = await sandbox.handler(
        new Request(`http://host.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }),
      );
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    await call('/api/data-sources/seed', {}, 'demo-member-token');
    const created = await call('/api/credential-delegations', { itsm_system_type: 'jira', delegate_email: 'jira-admin@acme.test' }, 'demo-member-token');
    const token = (created.body['data'] as { token: string }).token;
    const redeemed = await call('/api/credential-delegations/redeem', { token, credentials: { email: 'jira-admin@acme.test', api_token: CANARY } });
    expect(redeemed).toMatchObject({ status: 200, body: { data: { status: 'used', itsm_system_type: 'jira', verification: { status: 'verifying' } } } });
    expect(JSON.stringify(redeemed.body)).not.toContain(CANARY);
    expect(await call('/api/credential-delegations/redeem', { token, credentials: { api_token: 'x' } })).toEqual({ status: 409, body: { error: 'Delegation already used', message: 'This invitation was already used' } });
    expect((await call('/api/credential-delegations/redeem', { credentials: {} })).status).toBe(400);
  });
});
