import type { Command } from 'commander';
import { ConnectionsClient, type ConnectionState, type DataSourceConnection, type DataSourceUpdate, isValidDataSourceType, type VerifyInput } from '../connections/index.js';
import { ConfigError, isAbortedError, isTimeoutError, parseJsonObject } from '../core/index.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CLI_USER_AGENT, construct, integerFlag, requireSettings, retryOptions } from './remote.js';
import { addSettingOptions, COMMON_SETTINGS, type Setting } from './settings.js';
import { traceRequests } from './trace.js';

const URL_SETTING: Setting = { key: 'datasources.url', flag: '--url <url>', env: 'ITSMKIT_DATASOURCES_URL', description: "the host platform's origin serving /api/data-sources, e.g. https://app.example.com" };
const TOKEN: Setting = { key: 'datasources.token', flag: '--token <token>', env: 'ITSMKIT_DATASOURCES_TOKEN', description: 'bearer token of the API (prefer the environment: flags show in ps)', secret: true };

const SETTINGS: readonly Setting[] = [URL_SETTING, TOKEN, ...COMMON_SETTINGS];

/** Credential values shorter than this are not scrubbed from output (they would mangle every line); the client uses the same bound. */
const MIN_SECRET_LENGTH = 4;

async function client(ctx: CliContext, call: Invocation): Promise<ConnectionsClient> {
  const s = await ctx.settings(call, SETTINGS);
  const [baseUrl, token] = requireSettings('data-sources API settings', s, [URL_SETTING, TOKEN]) as [string, string];
  const ds = construct(ctx.optionNames, () => new ConnectionsClient({ baseUrl, token, retry: retryOptions(s), userAgent: CLI_USER_AGENT }), { baseUrl: URL_SETTING, token: TOKEN }, s);
  if (call.flags.verbose) traceRequests(ds.events, ctx.out, call.flags.json);
  return ds;
}

/** The connection an argument names: an id, or a catalog type (`jira`) since an organization has one live connection per type. */
async function resolveConnection(ds: ConnectionsClient, ref: string): Promise<DataSourceConnection> {
  if (!isValidDataSourceType(ref)) return ds.get(ref);
  const [found] = await ds.list({ type: ref });
  if (!found) throw new ConfigError(`This organization has no ${ref} connection: run "itsmkit connections seed" to create the default ones`);
  return found;
}

function since(iso: string | null): string {
  return iso ? iso.replace(/\.\d+Z$/, 'Z') : '-';
}

function syncSummary(c: ConnectionState): string {
  if (c.lastSyncStatus === 'failed') return `sync failed ${since(c.lastSyncAt)}: ${c.lastSyncError ?? 'no reason given'}`;
  if (c.lastSyncStatus === 'completed') return `synced ${since(c.lastSyncAt)}`;
  return 'never synced';
}

function verificationSummary(c: ConnectionState): string {
  if (c.lastVerificationError) return `verification failed ${since(c.lastVerificationAt)}: ${c.lastVerificationError}`;
  if (c.lastVerificationAt) return `verified ${since(c.lastVerificationAt)}`;
  return 'not verified';
}

function optionsSummary(c: ConnectionState): string | undefined {
  const entries = Object.entries(c.latestOptions ?? {});
  return entries.length ? entries.map(([key, values]) => `${key}: ${values.join(', ')}`).join('; ') : undefined;
}

function updateLine(u: DataSourceUpdate, label: string, startedMs: number): string {
  const seconds = ((Date.now() - startedMs) / 1000).toFixed(1).padStart(5);
  const detail =
    u.trigger === 'sync_completed'
      ? `, ${u.documentsProcessed ?? '?'} documents`
      : u.trigger === 'sync_failed' || u.trigger === 'sync_request_failed'
        ? `: ${u.lastSyncError ?? ''}`
        : u.trigger === 'verification_failed' || u.trigger === 'verify_request_failed'
          ? `: ${u.lastVerificationError ?? ''}`
          : '';
  return `${seconds} s  ${label}: ${u.status} (${u.trigger.replace(/_/g, ' ')}${detail})`;
}

/** How long the status line may lag behind the result before it is cut off. */
const STATUS_LINE_GRACE_MS = 1000;

/**
 * A live status line (stderr) of one connection's updates while `work` runs.
 * The stream is opened before `work` starts so its first update is not
 * missed, and is closed once it has shown the version `work` ended on (or
 * after a short grace), so the last update is on screen before the result.
 */
async function withStatusLine<T>(ctx: CliContext, ds: ConnectionsClient, connection: DataSourceConnection, show: boolean, work: () => Promise<T>): Promise<T> {
  if (!show) return work();
  const stop = new AbortController();
  const watch = ds.watch({ signal: stop.signal });
  const label = `${connection.type} "${connection.name}"`;
  const started = Date.now();
  let shown = 0;
  let caughtUp: { version: number; wake: () => void } | undefined;
  const follow = (async () => {
    try {
      for await (const update of watch) {
        if (update.connectionId !== connection.id) continue;
        ctx.out.status(updateLine(update, label, started));
        shown = Math.max(shown, update.version);
        if (caughtUp && shown >= caughtUp.version) caughtUp.wake();
      }
    } catch {
      // The status line is a courtesy: waitFor reports failures that matter.
    }
  })();
  await watch.connected.catch(() => {});
  try {
    const result = await work();
    const version = (result as { version?: unknown } | undefined)?.version;
    if (typeof version === 'number' && shown < version) {
      await new Promise<void>((wake) => {
        caughtUp = { version, wake };
        setTimeout(wake, STATUS_LINE_GRACE_MS).unref?.();
      });
    }
    return result;
  } finally {
    stop.abort();
    await follow;
    ctx.out.endStatus();
  }
}

/** Waits for `predicate`, turning a timeout or Ctrl-C into a sentence and exit 1 (the operation goes on server-side). */
async function waitFor(ctx: CliContext, ds: ConnectionsClient, id: string, timeoutSeconds: number, what: string, predicate: (s: ConnectionState) => boolean): Promise<ConnectionState | ExitCode> {
  try {
    return await ds.waitFor(id, predicate, { timeoutMs: timeoutSeconds * 1000, signal: ctx.signal });
  } catch (error) {
    if (isTimeoutError(error)) ctx.out.stderr(`error: no ${what} result after ${timeoutSeconds} s; it may still finish: check with "itsmkit connections list"\n`);
    else if (isAbortedError(error)) ctx.out.stderr(`stopped waiting; the ${what} goes on: check with "itsmkit connections list"\n`);
    else throw error;
    return EXIT.failed;
  }
}

/** Reads the verify body: `{ credentials, config? }`, or the credentials object alone. Registers every credential value as a secret first. */
async function readVerifyInput(ctx: CliContext, path: string): Promise<VerifyInput> {
  const raw = parseJsonObject(await ctx.readInput(path, '--credentials'), 'The credentials');
  const wrapped = Object.hasOwn(raw, 'credentials');
  const credentials = wrapped ? raw['credentials'] : raw;
  if (credentials === null || typeof credentials !== 'object' || Array.isArray(credentials)) throw new ConfigError('The credentials must be a JSON object: { "credentials": { ... }, "config": { ... } } or the credentials object alone');
  for (const value of stringsIn(credentials)) if (value.length >= MIN_SECRET_LENGTH) ctx.out.addSecret(value);
  const config = wrapped ? raw['config'] : undefined;
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) throw new ConfigError('"config" in the credentials file must be a JSON object');
  return { credentials: credentials as Record<string, unknown>, ...(config === undefined ? {} : { config: config as Record<string, unknown> }) };
}

function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object' || depth > 10) return [];
  return Object.values(value).flatMap((v) => stringsIn(v, depth + 1));
}

function leaf(leaves: Command[], parent: Command, name: string, description: string): Command {
  const command = parent.command(name).description(description);
  leaves.push(command);
  return command;
}

/** `itsmkit connections seed | list | enable | disable | verify | sync`. */
export const connectionsCommands: CommandGroup = {
  name: 'connections',
  settings: SETTINGS,
  register(program, ctx) {
    const leaves: Command[] = [];
    const group = program.command('connections').description("data-source connections on a host platform's /api/data-sources: list, verify credentials, sync");

    leaf(leaves, group, 'seed', "create the organization's missing default connections (idempotent)").action(
      ctx.action(async (call) => {
        const result = await (await client(ctx, call)).seed();
        ctx.out.result(call.flags.json, result, () => [`created ${result.created}, ${result.existing} existed already`]);
      }),
    );

    leaf(leaves, group, 'list', "the organization's connections with their sync and verification state")
      .option('--type <type>', 'only this type: confluence, servicenow, servicenow_itsm, sharepoint, websearch, jira')
      .option('--status <status>', 'only this status: idle, verifying, syncing')
      .option('--enabled', 'only enabled connections')
      .option('--no-enabled', 'only disabled connections')
      .action(
        ctx.action(async (call) => {
          const ds = await client(ctx, call);
          const o = call.options;
          const connections = await ds.list({
            ...(typeof o['type'] === 'string' ? { type: o['type'] } : {}),
            ...(typeof o['status'] === 'string' ? { status: o['status'] } : {}),
            ...(typeof o['enabled'] === 'boolean' ? { enabled: o['enabled'] } : {}),
          });
          ctx.out.result(call.flags.json, { connections }, () => [
            ...connections.flatMap((c) => {
              const options = optionsSummary(c);
              return [
                `${c.type.padEnd(16)} ${c.status.padEnd(10)} ${(c.enabled ? 'enabled' : 'disabled').padEnd(9)} ${c.name}  (${c.id})`,
                `${''.padEnd(16)} ${syncSummary(c)}; ${verificationSummary(c)}${options ? `; ${options}` : ''}`,
              ];
            }),
            `${connections.length} connection${connections.length === 1 ? '' : 's'}${connections.length ? '' : ' (a new organization has none until "itsmkit connections seed")'}`,
          ]);
        }),
      );

    for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
      leaf(leaves, group, name, `${name} a connection${enabled ? ' (needed before it syncs)' : ' (organization admins and owners only)'}`)
        .argument('<connection>', 'connection id, or its type (jira, confluence, ...)')
        .action(
          ctx.action(async (call) => {
            const ds = await client(ctx, call);
            const connection = await resolveConnection(ds, call.args[0] as string);
            const updated = await ds.patch(connection.id, { enabled });
            ctx.out.result(call.flags.json, updated, () => [`${updated.type} "${updated.name}" is ${updated.enabled ? 'enabled' : 'disabled'}`]);
          }),
        );
    }

    leaf(leaves, group, 'verify', 'send credentials to be verified by the external service; they are read from a file or stdin, never from flags, and never printed')
      .argument('<connection>', 'connection id, or its type (jira, confluence, ...)')
      .requiredOption('--credentials <path>', 'JSON file, or - for stdin: { "credentials": { ... }, "config": { ... } } or the credentials object alone')
      .option('--wait', 'wait for the verification result (exit 1 when it failed), with a live status line')
      .option('--wait-timeout <seconds>', 'give up waiting after this long', '120')
      .action(
        ctx.action(async (call) => {
          const input = await readVerifyInput(ctx, String(call.options['credentials']));
          const timeout = integerFlag(call.options['waitTimeout'], '--wait-timeout') as number;
          const ds = await client(ctx, call);
          const before = await resolveConnection(ds, call.args[0] as string);
          if (call.options['wait'] !== true) {
            const started = await ds.verify(before.id, input);
            ctx.out.result(call.flags.json, started, () => [`verification requested for ${before.type} "${before.name}": ${started.message} (--wait to see the result)`]);
            return EXIT.ok;
          }
          const state = await withStatusLine(ctx, ds, before, !call.flags.json, async () => {
            await ds.verify(before.id, input);
            return waitFor(ctx, ds, before.id, timeout, 'verification', (s) => s.status !== 'verifying' && s.lastVerificationAt !== before.lastVerificationAt);
          });
          if (typeof state === 'number') return state;
          const failed = state.lastVerificationError !== null;
          ctx.out.result(call.flags.json, { id: before.id, type: before.type, ok: !failed, state }, () => {
            const options = optionsSummary(state);
            return [`${before.type} "${before.name}": ${verificationSummary(state)}${options ? `; ${options}` : ''}`];
          });
          return failed ? EXIT.failed : EXIT.ok;
        }),
      );

    leaf(leaves, group, 'sync', 'start a sync (the connection must be enabled and verified); --wait follows it to the end')
      .argument('<connection>', 'connection id, or its type (jira, confluence, ...)')
      .option('--tickets', 'a ticket sync (servicenow_itsm and jira connections only)')
      .option('--force', 'start even though a sync is marked as running (a stuck sync)')
      .option('--wait', 'wait until the sync ends (exit 1 when it failed), with a live status line')
      .option('--wait-timeout <seconds>', 'give up waiting after this long', '600')
      .action(
        ctx.action(async (call) => {
          const o = call.options;
          const timeout = integerFlag(o['waitTimeout'], '--wait-timeout') as number;
          const ds = await client(ctx, call);
          const connection = await resolveConnection(ds, call.args[0] as string);
          const input = o['force'] === true ? { force: true } : {};
          const start = () => (o['tickets'] === true ? ds.syncTickets(connection, input) : ds.sync(connection.id, input));
          if (o['wait'] !== true) {
            const started = await start();
            ctx.out.result(call.flags.json, started, () => [`sync started for ${connection.type} "${connection.name}" at ${since(started.triggeredAt)} (--wait to follow it)`]);
            return EXIT.ok;
          }
          let triggered = { id: connection.id, status: '', triggeredAt: '' };
          const outcome = await withStatusLine(ctx, ds, connection, !call.flags.json, async () => {
            triggered = await start();
            // The sync stamps lastSyncAt with triggeredAt; its end (or a failed trigger) stamps it again, later.
            return waitFor(ctx, ds, connection.id, timeout, 'sync', (s) => s.status === 'idle' && Date.parse(s.lastSyncAt ?? '') >= Date.parse(triggered.triggeredAt));
          });
          if (typeof outcome === 'number') return outcome;
          const failed = outcome.lastSyncStatus === 'failed';
          const documents = (outcome as Partial<DataSourceUpdate>).documentsProcessed;
          ctx.out.result(call.flags.json, { ...triggered, ok: !failed, state: outcome }, () => [
            `${connection.type} "${connection.name}": ${syncSummary(outcome)}${!failed && documents !== undefined ? `, ${documents} documents` : ''}`,
          ]);
          return failed ? EXIT.failed : EXIT.ok;
        }),
      );
    for (const command of leaves) addSettingOptions(command, SETTINGS);
  },
};
