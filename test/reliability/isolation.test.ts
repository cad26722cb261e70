import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, ConnectionRecord, DataSourceUpdate } from '../../src/connections/connection.js';
import { StatusConsumer } from '../../src/connections/host/consumer.js';
import { isDataSourceError } from '../../src/connections/errors.js';
import { createDataSourcesHandler } from '../../src/connections/host/handler.js';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { MemoryMessageSource } from '../../src/adapters/memory/message-source.js';
import { MemoryConnectionStore } from '../../src/adapters/memory/connection-store.js';
import type { WebhookPayload } from '../../src/connections/ports.js';
import { applyStatusMessage } from '../../src/connections/reducer.js';
import { ConnectionService } from '../../src/connections/host/service.js';
import { parseStatusMessage } from '../../src/connections/status-message.js';
import { recordFigures } from './support/results.js';
import { ProcessWatch } from './support/watch.js';

const ORG_A = 'org-a';
const ORG_B = 'org-b';
const actor = (org: string, role: string, n = 1): Actor => ({ userId: `${org}-${role || 'none'}-${n}`, userEmail: `${role || 'none'}@${org}.test`, organizationId: org, role });

/** Totals per scenario, for the report: attempts made and breaches found. */
const totals = new Map<string, { calls: number; breaches: number; note: string }>();
function tally(scenario: string, calls: number, breaches: number, note: string): void {
  const t = totals.get(scenario) ?? { calls: 0, breaches: 0, note };
  totals.set(scenario, { calls: t.calls + calls, breaches: t.breaches + breaches, note });
}
// Watched across the whole file: each scenario's row gets the file's unhandled rejections and open handles.
let watch: ProcessWatch;
beforeAll(() => {
  watch = new ProcessWatch();
});
afterAll(async () => {
  const watched = await watch.stop();
  for (const [scenario, t] of totals) {
    recordFigures({ group: 'isolation', area: 'connections', scenario, cases: 1, calls: t.calls, duplicates: 0, lost: 0, breaches: t.breaches, untypedErrors: 0, unhandledRejections: watched.unhandled.length, leakedHandles: watched.leaked.length, note: t.note });
  }
  expect(watched.unhandled, 'unhandled rejections').toEqual([]);
  expect(watched.leaked, 'handles left open').toEqual([]);
});

/** Two organizations on one store, with every webhook, audit entry and update recorded. */
async function twoTenants() {
  const store = new MemoryConnectionStore();
  const audit = new MemoryAuditLog();
  const webhooks: WebhookPayload[] = [];
  const service = new ConnectionService({ store, audit, webhook: { send: async (payload) => void webhooks.push(payload) } });
  const seen: Record<string, DataSourceUpdate[]> = { [ORG_A]: [], [ORG_B]: [] };
  for (const org of [ORG_A, ORG_B]) service.updates.subscribe(org, (p) => seen[org]!.push(p.update));
  const ownerA = actor(ORG_A, 'owner');
  await service.seed(ownerA);
  await service.seed(actor(ORG_B, 'owner'));
  // Make A's connections worth taking over: verified and enabled.
  for (const c of await service.list(ownerA)) {
    await service.verify(ownerA, c.id, { credentials: { api_token: 'a-token' } });
    await store.update({ ...(await store.get(ORG_A, c.id))!, status: 'idle', lastVerificationAt: '2026-01-01T00:00:00.000Z', enabled: true }, (await store.get(ORG_A, c.id))!.version);
  }
  for (const list of Object.values(seen)) list.length = 0;
  webhooks.length = 0;
  audit.entries.length = 0;
  const snapshot = async () => JSON.stringify(await store.list(ORG_A));
  return { store, audit, webhooks, service, seen, ownerA, connectionsA: await service.list(ownerA), snapshot };
}

const FOREIGN_ROLES = ['owner', 'admin', 'member', 'viewer', ''];

describe('tenant isolation: ConnectionService', () => {
  it('never returns or changes another organization connection through any method, whatever the role', async () => {
    const t = await twoTenants();
    const before = await t.snapshot();
    let calls = 0;
    let breaches = 0;
    const methods: [string, (a: Actor, c: ConnectionRecord) => Promise<unknown>][] = [
      ['get', (a, c) => t.service.get(a, c.id)],
      ['verify', (a, c) => t.service.verify(a, c.id, { credentials: { api_token: 'b-token' } })],
      ['update', (a, c) => t.service.update(a, c.id, { name: 'taken over', config: { url: 'https://evil.test' }, enabled: false })],
      ['patch (disable)', (a, c) => t.service.patch(a, c.id, { enabled: false })],
      ['patch (rename)', (a, c) => t.service.patch(a, c.id, { name: 'taken over' })],
      ['remove', (a, c) => t.service.remove(a, c.id)],
      ['sync', (a, c) => t.service.sync(a, c.id)],
      ['sync (force)', (a, c) => t.service.sync(a, c.id, { force: true })],
      ['syncTickets', (a, c) => t.service.syncTickets(a, c.id)],
    ];
    for (const role of FOREIGN_ROLES) {
      const foreign = actor(ORG_B, role);
      for (const connection of t.connectionsA) {
        for (const [name, run] of methods) {
          calls++;
          const outcome = await run(foreign, connection).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const refused = !outcome.ok && isDataSourceError(outcome.error) && outcome.error.code === 'not_found';
          if (!refused) breaches++;
          expect(refused, `${role} of ${ORG_B} ${name} ${connection.type}: ${outcome.ok ? JSON.stringify(outcome.value) : String(outcome.error)}`).toBe(true);
        }
      }
      // Reads scoped to the caller: B sees only B's, under every filter.
      for (const filter of [{}, { type: 'confluence' }, { status: 'idle' }, { enabled: true }, { enabled: false }]) {
        calls++;
        const listed = await t.service.list(foreign, filter);
        if (listed.some((c) => c.organizationId !== ORG_B)) breaches++;
        expect(listed.every((c) => c.organizationId === ORG_B)).toBe(true);
      }
      calls++;
      expect(await t.service.seed(foreign)).toMatchObject({ created: 0 });
    }
    expect(await t.snapshot(), "A's connections unchanged").toBe(before);
    expect(t.webhooks.filter((w) => w.tenant_id === ORG_A || t.connectionsA.some((c) => c.id === w['connection_id'])), 'webhooks about A').toEqual([]);
    expect(t.audit.entries.filter((e) => e.organizationId === ORG_A), "audit entries in A's log").toEqual([]);
    expect(t.seen[ORG_A], "updates on A's stream").toEqual([]);
    tally('ConnectionService: 9 methods x 6 connections x 5 roles of another organization, plus list filters and seed', calls, breaches, 'every call refused not_found; the other organization rows, webhooks, audit log and update stream untouched');
  });

  it('rejects a status message for another tenant connection, with its reason', async () => {
    const t = await twoTenants();
    const before = await t.snapshot();
    const source = new MemoryMessageSource();
    const consumer = new StatusConsumer({ source, store: t.store, updates: t.service.updates });
    await consumer.start();
    const connectionsB = await t.service.list(actor(ORG_B, 'owner'));
    let calls = 0;
    let breaches = 0;
    for (const c of t.connectionsA) {
      for (const message of [
        { type: 'sync', connection_id: c.id, tenant_id: ORG_B, status: 'sync_failed', error_message: 'hijacked', timestamp: '2026-02-01T00:00:00Z' },
        { type: 'verification', connection_id: c.id, tenant_id: ORG_B, status: 'success', options: { spaces: 'EVIL' }, timestamp: '2026-02-01T00:00:00Z' },
        { type: 'sync', connection_id: c.id, organization_id: ORG_B, status: 'sync_started' },
        { connection_id: c.id, tenant_id: ORG_B, status: 'completed' },
      ]) {
        calls++;
        source.publish(message);
        // And the pure reducer, given the connection and the foreign message directly.
        const parsed = parseStatusMessage(message);
        if (!parsed.ok) throw parsed.error;
        const applied = applyStatusMessage(c, parsed.message, { now: Date.now() });
        if (applied.outcome !== 'rejected' || applied.reason !== 'tenant_mismatch') breaches++;
        expect(applied).toMatchObject({ outcome: 'rejected', reason: 'tenant_mismatch' });
      }
    }
    // B's tenant naming A's connection ids from B's own list the other way round too.
    for (const c of connectionsB) {
      calls++;
      source.publish({ type: 'sync', connection_id: c.id, tenant_id: ORG_A, status: 'sync_started', timestamp: '2026-02-01T00:00:00Z' });
    }
    await source.drain();
    await consumer.stop();
    breaches += calls - source.deadLetters.length;
    expect(source.deadLetters).toHaveLength(calls);
    expect(source.deadLetters.every((d) => d.info.reason === 'unknown_connection' && d.info.detail.includes('tenant'))).toBe(true);
    expect(consumer.stats).toEqual({ processed: 0, ignored: 0, rejected: calls });
    expect(await t.snapshot()).toBe(before);
    expect(t.seen[ORG_A]).toEqual([]);
    tally('StatusConsumer and applyStatusMessage: status messages naming another tenant connection', calls * 2 - connectionsB.length, breaches, 'consumer: dead-lettered unknown_connection (the store is tenant-scoped); reducer: rejected tenant_mismatch');
  });
});

const NOT_ADMIN = ['member', 'viewer', 'guest', '', 'Admin', 'OWNER', 'administrator', 'admin ', ' owner', 'superuser', 'root', 'billing'];

describe('permissions: disable and delete need admin or owner', () => {
  it('refuses every other role (case and spacing variants included) and lets admins and owners', async () => {
    let calls = 0;
    let breaches = 0;
    for (const role of [...NOT_ADMIN, 'admin', 'owner']) {
      const t = await twoTenants();
      const before = await t.snapshot();
      const who = actor(ORG_A, role);
      const allowed = role === 'admin' || role === 'owner';
      const [first, second, third] = t.connectionsA as [ConnectionRecord, ConnectionRecord, ConnectionRecord];
      for (const [name, run] of [
        ['patch enabled: false', () => t.service.patch(who, first.id, { enabled: false })],
        ['update enabled: false', () => t.service.update(who, second.id, { name: second.name, config: {}, enabled: false })],
        ['remove', () => t.service.remove(who, third.id)],
      ] as const) {
        calls++;
        const outcome = await run().then(
          () => ({ ok: true as const }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const refused = !outcome.ok && isDataSourceError(outcome.error) && outcome.error.code === 'forbidden';
        if (refused === allowed) breaches++;
        expect(refused, `${JSON.stringify(role)} ${name}`).toBe(!allowed);
      }
      if (!allowed) {
        expect(await t.snapshot()).toBe(before);
        // Members may still configure and enable: only disabling and deleting are restricted.
        calls++;
        expect(await t.service.patch(who, first.id, { name: 'Renamed' })).toMatchObject({ name: 'Renamed', enabled: true });
      } else {
        expect((await t.service.get(who, first.id)).enabled).toBe(false);
        await expect(t.service.get(who, third.id)).rejects.toMatchObject({ code: 'not_found' });
      }
    }
    tally(`ConnectionService: disable (patch, update) and delete by ${NOT_ADMIN.length + 2} roles`, calls, breaches, 'only exactly "admin" and "owner" may disable or delete; refused calls change nothing');
  });
});

describe('the reference HTTP handler enforces the same through its authenticate hook', () => {
  it('answers 401 without a caller, 404 for another organization connection, 403 for disable and delete by non-admins', async () => {
    const t = await twoTenants();
    const before = await t.snapshot();
    const tokens: Record<string, Actor> = {
      'a-member': actor(ORG_A, 'member'),
      'a-viewer': actor(ORG_A, 'viewer'),
      'b-owner': actor(ORG_B, 'owner'),
      'b-admin': actor(ORG_B, 'admin'),
      'b-member': actor(ORG_B, 'member'),
    };
    const handler = createDataSourcesHandler(t.service, {
      authenticate: (request) => {
        const header = request.headers.get('authorization') ?? '';
        return header.startsWith('Bearer ') ? tokens[header.slice(7)] : undefined;
      },
    });
    const base = 'https://platform.example.com/api/data-sources';
    const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
      const response = await handler(
        new Request(`${base}${path}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      const text = await response.text();
      return { status: response.status, text };
    };
    let calls = 0;
    let breaches = 0;
    const expectStatus = async (expected: number, method: string, path: string, token: string | undefined, body?: unknown) => {
      calls++;
      const { status, text } = await call(method, path, token, body);
      if (status !== expected) breaches++;
      expect(status, `${method} ${path} as ${token ?? 'nobody'}: ${text}`).toBe(expected);
      // Nothing of A's shows up in an answer to someone else.
      if (token?.startsWith('b-') || token === undefined) for (const c of t.connectionsA) expect(text).not.toContain(c.id);
    };
    const routes = (id: string): [string, string, unknown?][] => [
      ['GET', `/${id}`],
      ['PUT', `/${id}`, { name: 'x', config: {}, enabled: false }],
      ['PATCH', `/${id}`, { enabled: false }],
      ['DELETE', `/${id}`],
      ['POST', `/${id}/verify`, { credentials: { api_token: 'b-token' } }],
      ['POST', `/${id}/sync`, {}],
      ['POST', `/${id}/sync-tickets`, {}],
    ];
    for (const c of t.connectionsA) {
      for (const [method, path, body] of routes(c.id)) {
        await expectStatus(401, method, path, undefined, body);
        await expectStatus(401, method, path, 'a-stolen-or-unknown', body);
        for (const token of ['b-owner', 'b-admin', 'b-member']) await expectStatus(404, method, path, token, body);
      }
    }
    for (const path of ['', '/seed', '/events']) await expectStatus(401, path === '/seed' ? 'POST' : 'GET', path, undefined);
    const first = t.connectionsA[0]!;
    for (const token of ['a-member', 'a-viewer']) {
      await expectStatus(403, 'PATCH', `/${first.id}`, token, { enabled: false });
      await expectStatus(403, 'PUT', `/${first.id}`, token, { name: first.name, config: {}, enabled: false });
      await expectStatus(403, 'DELETE', `/${first.id}`, token);
    }
    calls++;
    const listed = await call('GET', '', 'b-admin');
    expect(JSON.parse(listed.text).data.every((c: { organization_id: string }) => c.organization_id === ORG_B)).toBe(true);
    expect(await t.snapshot()).toBe(before);
    expect(t.webhooks).toEqual([]);
    tally('reference handler: 7 routes x 6 connections as nobody, an unknown token and 3 roles of another organization; disable/delete as member and viewer', calls, breaches, '401 without a caller, 404 across organizations (no id of the other organization in any answer), 403 for disable and delete by non-admins');
  });
});
