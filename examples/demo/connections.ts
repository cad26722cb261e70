/**
 * Data-source connections in the sandbox: seed the defaults, verify
 * Confluence credentials, save the chosen spaces, sync, and print every
 * `data_source_update` as it streams in over server-sent events.
 */
import { ConnectionsClient } from '../../src/index.js';
import type { DemoStep } from './index.js';

export const connectionsStep: DemoStep = async (sandbox, log) => {
  const ds = new ConnectionsClient({ baseUrl: sandbox.datasources.url, token: sandbox.datasources.credentials['token']! });

  const seeded = await ds.seed();
  log(`seed: ${seeded.message}`);
  const connections = await ds.list();
  log(`connections: ${connections.map((c) => `${c.type} (${c.status}${c.enabled ? ', enabled' : ''})`).join(', ')}`);
  const confluence = connections.find((c) => c.type === 'confluence');
  if (!confluence) throw new Error('the seed did not create a Confluence connection');

  const watch = ds.watch();
  const printing = (async () => {
    for await (const u of watch) {
      const extra = [
        u.lastSyncStatus && `last sync ${u.lastSyncStatus}`,
        u.documentsProcessed !== undefined && `${u.documentsProcessed} documents`,
        u.latestOptions && `options ${JSON.stringify(u.latestOptions)}`,
        u.lastVerificationError && `error: ${u.lastVerificationError}`,
      ].filter(Boolean);
      log(`  live: ${u.type} ${u.trigger} -> ${u.status}${extra.length ? ` (${extra.join(', ')})` : ''}`);
    }
  })();
  await watch.connected;

  await ds.verify(confluence.id, { config: { url: 'https://acme.atlassian.net/wiki' }, credentials: { api_token: 'demo-token', email: 'demo@acme.test' } });
  const verified = await ds.waitFor(confluence.id, (s) => s.status === 'idle' && s.lastVerificationAt !== null, { timeoutMs: 10_000 });
  const spaces = verified.latestOptions?.['spaces'] ?? [];
  log(`verified: spaces available ${spaces.join(', ')}`);

  const saved = await ds.update(confluence.id, { name: 'Engineering Confluence', config: { url: 'https://acme.atlassian.net/wiki', spaceKeys: spaces.slice(0, 2) }, enabled: true });
  log(`saved: ${saved.name}, enabled ${saved.enabled}, spaces ${JSON.stringify(saved.config['spaceKeys'])}`);

  const started = await ds.sync(confluence.id);
  log(`sync triggered at ${started.triggeredAt}`);
  const done = await ds.waitFor(confluence.id, (s) => s.status === 'idle' && s.lastSyncStatus !== null, { timeoutMs: 10_000 });
  log(`sync finished: ${done.lastSyncStatus}${done.lastSyncError ? ` (${done.lastSyncError})` : ''}`);

  try {
    await ds.syncTickets(saved);
  } catch (error) {
    log(`ticket sync on a knowledge source refused before any request: ${(error as Error).message}`);
  }

  watch.close();
  await printing;
};
