import { type FieldIssue, hasErrorKind, ItsmError, type ItsmErrorOptions } from '../core/index.js';

/** What went wrong in a host-side data-source operation; each maps to one HTTP status. */
export type DataSourceErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'invalid_type'
  | 'invalid_itsm_system_type'
  | 'disabled'
  | 'sync_in_progress'
  | 'not_configured'
  | 'conflict'
  | 'webhook_failed'
  | 'not_implemented'
  | 'delegation_expired'
  | 'delegation_revoked'
  | 'delegation_used';

const STATUS: Record<DataSourceErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_request: 400,
  invalid_type: 400,
  invalid_itsm_system_type: 400,
  disabled: 409,
  sync_in_progress: 409,
  not_configured: 409,
  conflict: 409,
  webhook_failed: 502,
  not_implemented: 501,
  delegation_expired: 410,
  delegation_revoked: 410,
  delegation_used: 409,
};

/** Fields a {@link DataSourceError} is built from. */
export interface DataSourceErrorInit extends ItsmErrorOptions {
  readonly code: DataSourceErrorCode;
  /** The API body's `error`: a short title (`Invalid data source type`). */
  readonly title: string;
  /** Extra body fields (`allowed_types`, ...). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly issues?: readonly FieldIssue[];
}

/**
 * A refused host-side operation (ConnectionService, CredentialDelegationService).
 * `status` and `body()` are what the reference handler answers with.
 */
export class DataSourceError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'DataSourceError';

  readonly code: DataSourceErrorCode;
  readonly status: number;
  readonly title: string;
  readonly issues: readonly FieldIssue[];
  /** True for `conflict`: the row kept changing, so the same operation may succeed when run again (a message source requeues it instead of counting it as a failure). */
  readonly transient: boolean;
  private readonly extra: Readonly<Record<string, unknown>>;

  constructor(message: string, init: DataSourceErrorInit) {
    super(message, init.cause === undefined ? {} : { cause: init.cause });
    this.code = init.code;
    this.status = STATUS[init.code];
    this.title = init.title;
    this.issues = init.issues ?? [];
    this.transient = init.code === 'conflict';
    this.extra = init.extra ?? {};
  }

  /** The API error body: `{ error, message, ...extra }` (`message` left out when it only repeats `error`). */
  body(): Record<string, unknown> {
    return { error: this.title, ...(this.message === this.title ? {} : { message: this.message }), ...this.extra, ...(this.issues.length ? { issues: this.issues } : {}) };
  }
}

/** True for {@link DataSourceError} (works across duplicate installs). */
export const isDataSourceError = (e: unknown): e is DataSourceError => hasErrorKind(e, 'DataSourceError');
