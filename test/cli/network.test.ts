import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { close, listen, startConnectProxy, type TestProxy } from '../helpers/servers.js';
import { cli, configFile, type CliResult } from './helpers.js';

const TLS_DIR = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
const pem = (name: string) => readFileSync(`${TLS_DIR}${name}`);
const PROXY_PASSWORD = 'pr0xy p@ss/+=&%';
const PROXY_USER = `user:${encodeURIComponent(PROXY_PASSWORD)}`;
const AUTH = { ITSMKIT_SERVICENOW_USERNAME: 'admin', ITSMKIT_SERVICENOW_PASSWORD: 'admin-password', ITSMKIT_JIRA_EMAIL: 'demo@example.com', ITSMKIT_JIRA_API_TOKEN: 'jira-api-token' };

const answer = (_req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ result: [{ sys_id: 'abc' }] }));
};

function expectNoProxyPassword(r: CliResult): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toContain(PROXY_PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PROXY_PASSWORD));
  }
}

describe('--proxy', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  let proxy: TestProxy;
  let targetUrl: string;
  let proxyUrl: string;
  beforeAll(async () => {
    target = await listen(createHttpServer(answer));
    proxy = await startConnectProxy();
    targetUrl = `http://127.0.0.1:${target.port}`;
    proxyUrl = `http://${PROXY_USER}@127.0.0.1:${proxy.server.port}`;
  });
  afterEach(() => {
    proxy.refuseWith = undefined;
    proxy.tunnels.length = 0;
    proxy.auth.length = 0;
  });
  afterAll(async () => {
    await close(proxy.server);
    await close(target);
  });

  it('sends every request through the proxy, with the credentials of its URL, from the flag or the config file', async () => {
    const flag = await cli(['servicenow', 'test', '--url', targetUrl, '--proxy', proxyUrl, '--verbose'], AUTH);
    expect(flag.code, flag.stderr).toBe(0);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    expect(proxy.auth).toEqual([`Basic ${Buffer.from(`user:${PROXY_PASSWORD}`).toString('base64')}`]);
    expect(flag.stderr).toContain('# servicenow.proxy from flag --proxy\n');
    expectNoProxyPassword(flag);
    const file = await cli(['servicenow', 'test', '--config', configFile({ servicenow: { url: targetUrl, proxy: proxyUrl } })], AUTH);
    expect(file.code, file.stderr).toBe(0);
    expect(proxy.tunnels).toHaveLength(2);
  });

  it('a proxy that refuses is a ConnectionError naming the CLI setting, never its password', async () => {
    proxy.refuseWith = 403;
    const human = await cli(['servicenow', 'test', '--url', targetUrl, '--proxy', proxyUrl, '--verbose'], AUTH);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`ConnectionError: servicenow GET ${targetUrl}/api/now/table/incident`);
    expect(human.stderr).toContain(`refused to open a tunnel to 127.0.0.1:${target.port} (status 403): check servicenow.proxy (from flag --proxy), that the proxy allows 127.0.0.1`);
    expectNoProxyPassword(human);

    const json = await cli(['jira', 'test', '--json'], { ...AUTH, ITSMKIT_JIRA_URL: targetUrl, ITSMKIT_JIRA_PROXY: proxyUrl });
    expect(json.code).toBe(1);
    const { error } = JSON.parse(json.stderr);
    expect(error).toMatchObject({ name: 'ConnectionError', reason: 'proxy', option: 'http.proxy', setting: { key: 'jira.proxy', flag: '--proxy', env: 'ITSMKIT_JIRA_PROXY', source: 'env ITSMKIT_JIRA_PROXY' } });
    expect(error.message).toContain('check jira.proxy (from env ITSMKIT_JIRA_PROXY)');
    expectNoProxyPassword(json);
  });

  it('an invalid proxy URL is a ConfigError naming the setting, exit 2, without echoing the URL', async () => {
    const socks = await cli(['servicenow', 'test', '--url', targetUrl, '--proxy', `socks5://${PROXY_USER}@127.0.0.1:1080`], AUTH);
    expect(socks.code).toBe(2);
    expect(socks.stderr).toBe('ConfigError: Invalid configuration: servicenow.proxy (from flag --proxy): protocol socks5: is not http or https (SOCKS proxies are not supported)\n');
    const garbage = await cli(['servicenow', 'test', '--url', targetUrl, `--proxy=http//${PROXY_USER}@proxy:3128`], AUTH);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toBe("ConfigError: Invalid configuration: servicenow.proxy (from flag --proxy): is not 'env', false or an absolute URL such as http://proxy.example.com:3128\n");
    expectNoProxyPassword(socks);
    expectNoProxyPassword(garbage);
  });
});

describe('--ca-file', () => {
  let https: Awaited<ReturnType<typeof listen>>;
  let url: string;
  beforeAll(async () => {
    https = await listen(createHttpsServer({ key: pem('server-key.pem'), cert: pem('server.pem') }, answer));
    url = `https://127.0.0.1:${https.port}`;
  });
  afterAll(() => close(https));

  it('without it, a private CA is a ConnectionError saying how to pass one', async () => {
    const r = await cli(['servicenow', 'test', '--url', url, '--json'], AUTH);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stderr);
    expect(error).toMatchObject({ name: 'ConnectionError', reason: 'tls-certificate', option: 'http.tls.ca', setting: { key: 'servicenow.caFile', flag: '--ca-file', env: 'ITSMKIT_SERVICENOW_CA_FILE', source: null } });
    expect(error.message).toContain('pass its certificate as --ca-file, ITSMKIT_SERVICENOW_CA_FILE or "servicenow.caFile" in the config file');
  });

  it('trusts the CA of the PEM file, from the flag (relative to the working directory) or the environment', async () => {
    const flag = await cli(['servicenow', 'test', '--url', url, '--ca-file', 'ca.pem'], AUTH, { cwd: TLS_DIR });
    expect(flag.code, flag.stderr).toBe(0);
    expect(flag.stdout).toContain(`ok: connected to ${url}`);
    const env = await cli(['servicenow', 'test', '--url', url], { ...AUTH, ITSMKIT_SERVICENOW_CA_FILE: `${TLS_DIR}ca.pem` });
    expect(env.code, env.stderr).toBe(0);
  });

  it('a missing file or one without a PEM certificate is a ConfigError naming the setting, exit 2', async () => {
    const missing = await cli(['servicenow', 'test', '--url', url, '--ca-file', '/no/such/ca.pem'], AUTH);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('ConfigError: Cannot read servicenow.caFile (from flag --ca-file) /no/such/ca.pem (ENOENT)\n');
    const notPem = configFile('{}', 'ca.pem');
    const wrong = await cli(['jira', 'test', '--url', url], { ...AUTH, ITSMKIT_JIRA_CA_FILE: notPem });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`ConfigError: Invalid CA file: jira.caFile (from env ITSMKIT_JIRA_CA_FILE): ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n`);
  });
});
