/**
 * docs/networking.md: the Node transport's `http` option. A ServiceNow
 * sandbox on loopback is reached through a CONNECT proxy (as behind a
 * corporate proxy), per-call options set one call's timeout and headers, and
 * connections that cannot work fail at once with a ConnectionError naming the
 * option to fix.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { isConnectionError, ServiceNowClient } from '../src/index.js';
import { startSandbox } from '../src/testing/index.js';

const sandbox = await startSandbox();
const auth = { type: 'basic', username: 'admin', password: 'sandbox-password' } as const;

// A minimal corporate proxy: it tunnels CONNECT requests and counts them.
const tunnels: string[] = [];
const proxy = createServer();
proxy.on('connect', (req: IncomingMessage, client: Socket) => {
  tunnels.push(req.url ?? '');
  const [host, port] = (req.url ?? '').split(':');
  const upstream = connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.pipe(client).pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

try {
  // 1. Behind a proxy (or set HTTPS_PROXY / HTTP_PROXY: `proxy: 'env'` is the default).
  const sn = new ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth, http: { proxy: proxyUrl, connectTimeoutMs: 5_000 } });
  const incident = await sn.incidents.create({ shortDescription: 'Printer on floor 3 offline', urgency: 'low', impact: 'low' });
  console.log(`created ${incident.number} through the proxy (${tunnels.length} tunnel to ${tunnels[0]})`);

  // 2. Per-call options: this call's own timeout, no retries, and a header for the server's logs.
  const found = await sn.incidents.get(incident.sysId, { timeoutMs: 2_000, retry: false, headers: { 'x-correlation-id': 'example-42' } });
  console.log(`read ${found.number} back in ${found.retry.attempts} attempt`);

  // 3. A connection that cannot work says what to change. A refusal is retried by default (nothing was sent,
  //    and it rides out a restart); retryRefused: false says it at once, as the CLI does.
  for (const [what, options] of [
    ['a port nothing listens on', { instanceUrl: 'http://127.0.0.1:9' }],
    ['https:// to a plain HTTP port', { instanceUrl: sandbox.servicenow.url.replace('http:', 'https:') }],
    ['a proxy that is down', { instanceUrl: sandbox.servicenow.url, http: { proxy: 'http://127.0.0.1:9' } }],
  ] as const) {
    const client = new ServiceNowClient({ auth, retry: { retryRefused: false }, ...options });
    const started = Date.now();
    try {
      await client.incidents.get(incident.sysId);
      throw new Error(`${what}: expected a ConnectionError`);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      console.log(`${what}: ${error.reason}, fix ${error.option}, after ${error.retry.attempts} attempt in ${Date.now() - started} ms`);
    }
  }
} finally {
  proxy.close();
  await sandbox.close();
}
