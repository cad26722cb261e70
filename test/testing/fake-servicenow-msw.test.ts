import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRateLimitError } from '../../src/core/errors.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { mswHandler } from '../../src/testing/msw.js';

const INSTANCE = 'https://msw.service-now.com';
const fake = new FakeServiceNow();
const server = setupServer(mswHandler(INSTANCE, fake.handle));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.faults.clear());
afterAll(() => server.close());

describe('FakeServiceNow through msw', () => {
  const sn = new ServiceNowClient({
    instanceUrl: INSTANCE,
    auth: { type: 'oauth', grant: 'password', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', username: 'admin', password: 'sandbox-password' },
    retry: { retries: 0 },
  });

  it('runs OAuth and an incident round trip over the real fetch', async () => {
    const inc = await sn.incidents.create({ shortDescription: 'Through msw', urgency: 'medium', impact: 'low' });
    expect(inc).toMatchObject({ shortDescription: 'Through msw', priority: 'low' });
    await sn.incidents.addWorkNote(inc.sysId, 'via msw');
    expect((await sn.incidents.workNotes(inc.number!)).map((n) => n.text)).toEqual(['via msw']);
    expect(fake.requestsTo('/oauth_token.do')).toHaveLength(1);
  });

  it('streams an attachment up and down through msw', async () => {
    const inc = await sn.incidents.create({ shortDescription: 'With a log', urgency: 'medium', impact: 'low' });
    const bytes = new Uint8Array(200_000).map((_, i) => i % 199);
    const att = await sn.attachments.upload('incident', inc.sysId, new Blob([bytes]).stream(), { fileName: 'app.log' });
    expect(att).toMatchObject({ fileName: 'app.log', contentType: 'text/plain', sizeBytes: bytes.length });
    const back = new Uint8Array(await new Response(await sn.attachments.download(att.sysId)).arrayBuffer());
    expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0);
  });

  it('passes scripted faults through', async () => {
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } });
    expect(isRateLimitError(await sn.incidents.search().catch((e: unknown) => e))).toBe(true);
  });
});
