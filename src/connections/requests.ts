import * as z from 'zod/mini';
import { safeParseEnglish, zodIssues } from '../core/index.js';
import { DataSourceError } from './errors.js';

/** The body of `PUT /api/data-sources/:id`: a full configuration (never credentials). */
export interface ConnectionUpdate {
  readonly name: string;
  /** Left as it is when omitted. */
  readonly description?: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
}

/** The body of `PATCH /api/data-sources/:id`: any of the PUT fields, at least one. */
export type ConnectionPatch = Partial<ConnectionUpdate>;

/** The body of `POST /api/data-sources/:id/verify`. Credentials go to the external service and nowhere else. */
export interface VerifyInput {
  readonly config?: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, unknown>>;
}

/** The body of `POST /api/data-sources/:id/sync`. */
export interface SyncInput {
  /** Trigger even while a sync is marked as running (a stuck sync). Never skips the enabled and configured checks. @default false */
  readonly force?: boolean;
}

function buildRequestSchemas() {
  const config = z.record(z.string(), z.unknown());
  const update = z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z.optional(z.nullable(z.string().check(z.maxLength(2000)))),
    config,
    enabled: z.boolean(),
  });
  return {
    update,
    patch: z.partial(update).check(z.refine((o) => Object.keys(o).length > 0, { message: 'at least one of name, description, config, enabled is required' })),
    verify: z.strictObject({ config: z.optional(config), credentials: z.record(z.string(), z.unknown()) }),
    sync: z.strictObject({ force: z.optional(z.boolean()) }),
  };
}

// Built on first use, so bundles that never check a request body drop them.
let built: ReturnType<typeof buildRequestSchemas> | undefined;
const schemas = () => (built ??= buildRequestSchemas());

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  const result = safeParseEnglish(schema, input ?? {});
  if (result.success) return result.data;
  // zod messages name fields and expected types, never the values (which may be credentials).
  const issues = zodIssues(result.error);
  throw new DataSourceError(`Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { code: 'invalid_request', title: 'Invalid request', issues });
}

/** Checks a PUT body; throws a `DataSourceError` (`invalid_request`) naming every bad field. */
export function parseConnectionUpdate(input: unknown): ConnectionUpdate {
  return parseWith(schemas().update, input, 'update') as ConnectionUpdate;
}

/** Checks a PATCH body. */
export function parseConnectionPatch(input: unknown): ConnectionPatch {
  return parseWith(schemas().patch, input, 'patch') as ConnectionPatch;
}

/** Checks a verify body. */
export function parseVerifyInput(input: unknown): VerifyInput {
  return parseWith(schemas().verify, input, 'verify request') as VerifyInput;
}

/** Checks a sync body (empty is fine). */
export function parseSyncInput(input: unknown): SyncInput {
  return parseWith(schemas().sync, input, 'sync request') as SyncInput;
}
