import { FakeJira } from './fake-jira/fake-jira.js';
import { createDataSourcesSandbox } from './datasources-sandbox.js';
import type { Handler } from './handler.js';
import { FakeServiceNow } from './fake-servicenow/fake-servicenow.js';
import { serveHandler, type ServedHandler } from './serve.js';
import { createTicketsSandbox } from './tickets-sandbox.js';

/** What a sandbox service is built from. */
export interface SandboxService<Fake> {
  readonly fake: Fake;
  readonly handler: Handler;
  /** Demo credentials the fake accepts (never real ones). */
  readonly credentials: Readonly<Record<string, string>>;
}

/** The platform fakes, made before the services so several services can share them. */
interface SandboxFakes {
  readonly servicenow: FakeServiceNow;
  readonly jira: FakeJira;
}

/**
 * The services the sandbox runs, each on its own loopback port. Each fake
 * registers itself here.
 */
const services = {
  servicenow: ({ servicenow: fake }: SandboxFakes): SandboxService<FakeServiceNow> => {
    return { fake, handler: fake.handle, credentials: { username: 'admin', password: 'sandbox-password', clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } };
  },
  jira: ({ jira: fake }: SandboxFakes): SandboxService<FakeJira> => {
    return { fake, handler: fake.handle, credentials: { email: 'demo@example.com', apiToken: 'sandbox-api-token' } };
  },
  datasources: () => createDataSourcesSandbox(),
  tickets: ({ servicenow, jira }: SandboxFakes) => createTicketsSandbox(servicenow, jira),
} as const satisfies Record<string, (fakes: SandboxFakes) => SandboxService<unknown>>;

type Services = typeof services;

/** One running sandbox service. */
export type RunningService<Fake> = SandboxService<Fake> & { readonly url: string };

/** A running sandbox: every fake on loopback, with its URL and demo credentials. */
export type Sandbox = {
  readonly [K in keyof Services]: Services[K] extends (fakes: SandboxFakes) => SandboxService<infer F> ? RunningService<F> : never;
} & {
  /** Stops every server. */
  close(): Promise<void>;
};

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Loopback host. @default '127.0.0.1' */
  readonly host?: string;
  /** First port; services take consecutive ones. @default 0 (free ports) */
  readonly port?: number;
}

/**
 * Starts the fake ServiceNow, Jira and data-sources API, and the tickets API
 * (over the same ServiceNow and Jira fakes), on loopback, with no network and
 * no real credentials: what `npm run demo`, the CLI and the bench use.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const served: ServedHandler[] = [];
  const out: Record<string, unknown> = {};
  const fakes: SandboxFakes = { servicenow: new FakeServiceNow(), jira: new FakeJira() };
  let port = options.port ?? 0;
  try {
    for (const [name, create] of Object.entries(services) as [string, (fakes: SandboxFakes) => SandboxService<unknown>][]) {
      const service = create(fakes);
      const server = await serveHandler(service.handler, { port, ...(options.host ? { host: options.host } : {}) });
      served.push(server);
      out[name] = { ...service, url: server.url };
      if (port) port++;
    }
  } catch (error) {
    await Promise.all(served.map((s) => s.close()));
    throw error;
  }
  return Object.assign(out, { close: async () => void (await Promise.all(served.map((s) => s.close()))) }) as Sandbox;
}
