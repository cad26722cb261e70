import {
  type Clock,
  ConfigError,
  type DuplicateEvent,
  type FieldIssue,
  isHttpError,
  isItsmError,
  isTemplateError,
  isValidationError,
  type LogFields,
  type Logger,
  type MetricsSink,
  noopMetricsSink,
  type RetryEvent,
  type RetryMetadata,
  Semaphore,
  silentLogger,
  systemClock,
  TemplateError,
  ValidationError,
} from '../core/index.js';
import type { CreateIssueInput, JiraClient } from '../jira/index.js';
import type { ServiceNowClient } from '../servicenow/index.js';
import { compilePayloadValidators, resolveItsmConfig, type PayloadValidators } from './config.js';
import type { ItsmConfigInput } from './config-input.js';
import { TICKET_TYPES, type CustomCheck, type ItsmConfig, type ServiceNowTicketType, type TicketPlatform, type TicketType } from './config-schema.js';
import { deriveCorrelationKey } from './correlation-key.js';
import { ITSM_METRICS, type TicketOutcome } from './metrics.js';
import { SERVICENOW_TICKET_TABLES } from './servicenow-ticket-tables.js';
import { isCreateOperation, sendToJira, sendToServiceNow, type SentTicket } from './ticket-senders.js';
import type { TemplateVariables } from './template.js';
import { TemplateRegistry, type TemplateSummary } from './template-registry.js';

/**
 * The job a ticket is opened for. `id` is required; every other
 * field is yours. The whole object is injected into templates as the `job`
 * variable (`{job.id}`, `{job.name}`, `{job.url}`), `id` goes on every log
 * line, and `id` with the template name derives the default correlation key.
 */
export interface TicketJob {
  readonly id: string;
  readonly name?: string;
  readonly url?: string;
  readonly [field: string]: unknown;
}

/** Options of a {@link TicketService}. */
export interface TicketServiceOptions {
  /** Sends ServiceNow tickets; without it, ServiceNow creates throw a {@link ConfigError}. */
  readonly servicenow?: ServiceNowClient;
  /** Sends Jira issues; without it, Jira creates throw a {@link ConfigError}. */
  readonly jira?: JiraClient;
  /**
   * The configuration: a loaded {@link ItsmConfig} or input for `loadItsmConfig`
   * (camelCase or snake_case), merged over the defaults. A bad key throws a
   * {@link ConfigError} naming its path. @default DEFAULT_ITSM_CONFIG
   */
  readonly config?: ItsmConfig | ItsmConfigInput;
  /** Named custom checks that field rules reference. @default {} */
  readonly checks?: Readonly<Record<string, CustomCheck>>;
  /** Where the five ITSM metrics go. @default noopMetricsSink */
  readonly metrics?: MetricsSink;
  /** Gets one structured line per ticket operation. @default silentLogger */
  readonly logger?: Logger;
  /** Most platform calls in flight at once; the rest wait in order. @default Infinity */
  readonly concurrency?: number;
  /** Times creations for the duration metric. @default systemClock */
  readonly clock?: Clock;
}

/** What {@link TicketService.create} takes; `P`, the platform, decides the result's type. */
export interface CreateTicketInput<P extends TicketPlatform = TicketPlatform> {
  /** `servicenow` or `jira`; anything else is a {@link ValidationError} naming `platform`. */
  readonly platform: P;
  /** @default 'incident' on ServiceNow, 'issue' on Jira */
  readonly type?: TicketType;
  /** Fields in SDK names (`shortDescription`), checked against the config's field mapping. */
  readonly payload: Readonly<Record<string, unknown>>;
  /**
   * Makes the create safe to retry: ServiceNow `correlation_id`, Jira
   * `correlationKey`. @default the payload's `correlationId` on ServiceNow, else
   * `deriveCorrelationKey(job.id, '<platform>-<type>')` when a job is given, else none
   */
  readonly correlationKey?: string;
  readonly job?: TicketJob;
  readonly signal?: AbortSignal;
}

/** Options of {@link TicketService.createFromTemplate}. */
export interface CreateFromTemplateOptions {
  /** Injected as the `job` variable (see {@link TicketJob}). */
  readonly job?: TicketJob;
  /** @default the rendered `correlationId` on ServiceNow, else `deriveCorrelationKey(job.id, templateName)` when a job is given */
  readonly correlationKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * A ticket that exists: created now, or found by its correlation key after an
 * ambiguous failure. Narrow on `platform`: a ServiceNow ticket always has its
 * `number`, a Jira issue its `key`.
 */
export type TicketResult = ServiceNowTicketResult | JiraTicketResult;

/** The result of a create on platform `P`: {@link ServiceNowTicketResult} or {@link JiraTicketResult}. */
export type TicketResultOf<P extends TicketPlatform> = Extract<TicketResult, { readonly platform: P }>;

/** A ServiceNow ticket that exists (see {@link TicketResult}). */
export interface ServiceNowTicketResult extends TicketResultCommon {
  readonly platform: 'servicenow';
  /** The record number (`INC0010001`). */
  readonly number: string;
  /** Jira's; never on a ServiceNow ticket. */
  readonly key: undefined;
}

/** A Jira issue that exists (see {@link TicketResult}). */
export interface JiraTicketResult extends TicketResultCommon {
  readonly platform: 'jira';
  /** ServiceNow's; never on a Jira issue. */
  readonly number: undefined;
  /** The issue key (`OPS-12`). */
  readonly key: string;
}

/** What a {@link TicketResult} carries on both platforms. */
export interface TicketResultCommon {
  readonly outcome: 'success';
  readonly type: TicketType;
  /** ServiceNow `sys_id` or Jira issue id. */
  readonly id: string;
  /** A link to the ticket, when the platform's address is known. */
  readonly url: string | undefined;
  readonly correlationKey: string | undefined;
  /** False when a ticket with the correlation key already existed (an earlier call made it) and is returned instead. */
  readonly created: boolean;
  /** True when the ticket was found by correlation key instead of created by the last attempt. */
  readonly reconciled: boolean;
  readonly retry: RetryMetadata;
  /** The template rendered, for `createFromTemplate`. */
  readonly template: string | undefined;
  readonly jobId: string | undefined;
  /** The record (ServiceNow) or create response (Jira) as the platform sent it. */
  readonly raw: unknown;
}

/** A rendered template, before anything is sent. */
export interface TemplatePreview {
  readonly template: string;
  readonly platform: TicketPlatform;
  readonly ticketType: TicketType;
  /** The payload in SDK names, job context injected. */
  readonly payload: Record<string, unknown>;
  readonly correlationKey: string | undefined;
  /** Field-rule problems the payload would be refused for; empty when it would be sent. */
  readonly issues: readonly FieldIssue[];
}

/** Fields `JiraClient.issues.create` can send; other Jira field rules validate, but cannot be sent yet. */
const JIRA_CREATE_FIELDS: ReadonlySet<string> = new Set([
  'projectKey', 'issueType', 'summary', 'description', 'priority', 'labels', 'components', 'assigneeAccountId', 'dueDate', 'parent', 'customFields',
]);

const DEFAULT_TYPE: Readonly<Record<TicketPlatform, TicketType>> = { servicenow: 'incident', jira: 'issue' };
/** The `field` label of an issue on a field the mapping does not know: caller input, so never a label value. */
const UNKNOWN_FIELD = '(unknown)';
/** The `template_name` label of a template name the config does not know. */
const UNKNOWN_TEMPLATE = '(unknown)';

interface SendContext {
  readonly operation: 'create' | 'createFromTemplate';
  readonly platform: TicketPlatform;
  readonly type: TicketType;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly correlationKey: string | undefined;
  readonly derivedFrom: string;
  readonly job: TicketJob | undefined;
  readonly template: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly started: number;
}

/**
 * Validates tickets against the configured field mapping, renders templates,
 * and creates tickets on ServiceNow and Jira without duplicates, with the ITSM
 * metrics (`ITSM_METRICS`) and one structured log line per operation.
 *
 * **Correlation keys.** Every create that has a key is safe to retry: the
 * key is sent as ServiceNow's `correlation_id` or Jira's `correlationKey`, and
 * an ambiguous failure (timeout, reset, 5xx after sending) is resolved by
 * looking the ticket up before anything is re-sent. See {@link CreateTicketInput.correlationKey}
 * for where the key comes from when you give none.
 *
 * **Metrics** (names and labels as documented in `ITSM_METRICS`):
 * - `itsm_ticket_creation_total{platform,outcome}` and
 *   `itsm_ticket_creation_duration_seconds{platform,outcome}`: one per create
 *   that got as far as a payload, `outcome` one of {@link TicketOutcome}
 *   (`success`, `validation_error`, `error`); the duration runs from the call
 *   to its end, time waiting for a concurrency slot and retries included;
 * - `itsm_validation_errors_total{platform,field}`: one per field issue, the
 *   field as the mapping names it (array items count under their field;
 *   fields the mapping does not know under `(unknown)`, so caller input never
 *   becomes a label value);
 * - `itsm_ticket_retry_attempts_total{platform}`: one per `retry` event of a
 *   create operation on the clients' events (any create through those clients);
 * - `itsm_template_rendering_errors_total{template_name}`: one per template
 *   that could not be rendered (an unknown name counts as `(unknown)`).
 * A call that names no known platform, or one without a client, throws before
 * anything is counted.
 *
 * **Logs.** One line per operation with `jobId`, `platform`, `operation`,
 * `outcome`, and ids, attempts and duration; never payload values or secrets.
 *
 * Call {@link close} to stop listening to the clients' events.
 *
 * @example
 * const tickets = new TicketService({ servicenow, jira, metrics });
 * const bug = await tickets.createFromTemplate('jira-job-failure-bug', { projectKey: 'OPS', error: { summary: 'disk full' } }, { job: { id: '4711', name: 'nightly-export' } });
 */
export class TicketService {
  /** The configuration in force (defaults merged). */
  readonly config: ItsmConfig;
  /** The compiled templates. */
  readonly templates: TemplateRegistry;
  /** The ServiceNow client tickets go through, if any. */
  readonly servicenow: ServiceNowClient | undefined;
  /** The Jira client issues go through, if any. */
  readonly jira: JiraClient | undefined;
  readonly #validators: PayloadValidators;
  readonly #metrics: MetricsSink;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #limit: Semaphore;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: TicketServiceOptions = {}) {
    this.config = resolveItsmConfig(options.config ?? {});
    this.templates = new TemplateRegistry(this.config.templates);
    this.#validators = compilePayloadValidators(this.config, options.checks ? { checks: options.checks } : {});
    this.servicenow = options.servicenow;
    this.jira = options.jira;
    this.#metrics = options.metrics ?? noopMetricsSink;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#limit = new Semaphore(options.concurrency ?? Number.POSITIVE_INFINITY);
    for (const [platform, client] of [['servicenow', this.servicenow], ['jira', this.jira]] as const) {
      if (!client) continue;
      const onRetry = (event: RetryEvent) => {
        if (event.operation !== undefined && isCreateOperation(event.operation)) this.#metrics.inc(ITSM_METRICS.ticketRetryAttemptsTotal, { platform });
      };
      const onDuplicate = (event: DuplicateEvent) => this.#metrics.inc(ITSM_METRICS.ticketDuplicatesTotal, { platform }, event.duplicates.length);
      client.events.on('retry', onRetry);
      client.events.on('duplicate', onDuplicate);
      this.#unsubscribe.push(() => client.events.off('retry', onRetry), () => client.events.off('duplicate', onDuplicate));
    }
  }

  /**
   * Validates `payload` against the field mapping of the platform and ticket
   * type, then creates the ticket. Every field issue is reported at once in one
   * {@link ValidationError} (nothing is sent); platform failures throw the
   * client's error ({@link HttpError} subclasses, `NetworkError`, `TimeoutError`).
   */
  async create<P extends TicketPlatform>(input: CreateTicketInput<P>): Promise<TicketResultOf<P>> {
    const started = this.#clock.now();
    const { platform, type } = this.#target(input?.platform, input?.type);
    if (input.payload === null || typeof input.payload !== 'object' || Array.isArray(input.payload)) {
      throw new ValidationError('Invalid ticket', [{ field: 'payload', rule: 'type', message: 'must be an object of fields' }]);
    }
    // #target checked that the platform is `P`, and #send answers on the platform it was given.
    return (await this.#send({
      operation: 'create',
      platform,
      type,
      payload: input.payload,
      correlationKey: input.correlationKey,
      derivedFrom: `${platform}-${type}`,
      job: input.job,
      template: undefined,
      signal: input.signal,
      started,
    })) as TicketResultOf<P>;
  }

  /**
   * Renders a template with `variables` (the job injected as `job`), then
   * validates and creates the ticket like {@link create}. An unknown template
   * or missing or wrongly typed variables throw one {@link TemplateError}
   * listing them all.
   */
  async createFromTemplate(name: string, variables: TemplateVariables = {}, options: CreateFromTemplateOptions = {}): Promise<TicketResult> {
    const started = this.#clock.now();
    const rendered = this.#render(name, variables, options.job, 'createFromTemplate');
    this.#target(rendered.platform, rendered.ticketType);
    return this.#send({
      operation: 'createFromTemplate',
      platform: rendered.platform,
      type: rendered.ticketType,
      payload: rendered.payload,
      correlationKey: options.correlationKey,
      derivedFrom: name,
      job: options.job,
      template: name,
      signal: options.signal,
      started,
    });
  }

  /**
   * Renders a template and validates the result without sending anything:
   * what `createFromTemplate` would send, and the field issues it would be
   * refused for. Rendering failures throw a {@link TemplateError} (and are counted).
   */
  previewTemplate(name: string, variables: TemplateVariables = {}, options: Pick<CreateFromTemplateOptions, 'job' | 'correlationKey'> = {}): TemplatePreview {
    const rendered = this.#render(name, variables, options.job, 'previewTemplate');
    const correlationKey = this.#correlationKey(rendered.platform, rendered.payload, options.correlationKey, options.job, name);
    const payload = this.#withCorrelation(rendered.platform, rendered.payload, correlationKey);
    const result = this.#validators.get(rendered.platform, rendered.ticketType).validate(payload);
    const issues = [...result.issues, ...(result.ok ? this.#unsendable(rendered.platform, payload) : [])];
    this.#log('info', { operation: 'previewTemplate', job: options.job, platform: rendered.platform, outcome: issues.length ? 'validation_error' : 'success', template: name, issues: issues.map((i) => i.field) });
    return {
      template: name,
      platform: rendered.platform,
      ticketType: rendered.ticketType,
      payload: { ...payload },
      correlationKey,
      issues,
    };
  }

  /** Every configured template, with its variables. */
  listTemplates(): TemplateSummary[] {
    return this.templates.list();
  }

  /** Stops counting retries from the clients' events. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** Checks the platform and type of a call; an unknown one is a ValidationError naming it, a missing client a ConfigError. */
  #target(platform: unknown, type: unknown): { platform: TicketPlatform; type: TicketType } {
    if (typeof platform !== 'string' || !Object.hasOwn(TICKET_TYPES, platform)) {
      throw new ValidationError('Invalid ticket', [{ field: 'platform', rule: 'enum', message: `must be one of: ${Object.keys(TICKET_TYPES).join(', ')}` }]);
    }
    const p = platform as TicketPlatform;
    const t = type ?? DEFAULT_TYPE[p];
    if (!(TICKET_TYPES[p] as readonly unknown[]).includes(t)) {
      throw new ValidationError('Invalid ticket', [{ field: 'type', rule: 'enum', message: `${p} ticket types are: ${TICKET_TYPES[p].join(', ')}` }]);
    }
    if (!(p === 'servicenow' ? this.servicenow : this.jira)) {
      throw new ConfigError(`TicketService has no ${p === 'servicenow' ? 'ServiceNow' : 'Jira'} client`, [
        { field: p, rule: 'required', message: `pass a ${p === 'servicenow' ? 'ServiceNowClient' : 'JiraClient'} as the "${p}" option` },
      ]);
    }
    return { platform: p, type: t as TicketType };
  }

  #render(name: string, variables: TemplateVariables, job: TicketJob | undefined, operation: string) {
    try {
      if (job !== undefined && (typeof job !== 'object' || job === null || typeof job.id !== 'string' || job.id === '')) {
        throw new TemplateError(`Template "${name}" cannot be rendered: job.id is required`, {
          template: name,
          issues: [{ field: 'job.id', rule: 'required', message: 'a job needs a non-empty string id' }],
        });
      }
      return this.templates.render(name, withJob(variables, job));
    } catch (error) {
      if (isTemplateError(error)) {
        const label = this.templates.has(name) ? name : UNKNOWN_TEMPLATE;
        this.#metrics.inc(ITSM_METRICS.templateRenderingErrorsTotal, { template_name: label });
        this.#log('warn', { operation, job, platform: this.#platformOf(name), outcome: 'template_error', template: label, missing: error.missing, issues: error.issues.map((i) => i.field) });
      }
      throw error;
    }
  }

  #platformOf(template: string): TicketPlatform | null {
    return this.templates.has(template) ? this.templates.get(template).platform : null;
  }

  /** Explicit key, else ServiceNow's own `correlationId`, else one derived from the job. */
  #correlationKey(platform: TicketPlatform, payload: Readonly<Record<string, unknown>>, explicit: string | undefined, job: TicketJob | undefined, derivedFrom: string) {
    if (explicit !== undefined) return explicit;
    const own = payload['correlationId'];
    if (platform === 'servicenow' && typeof own === 'string' && own !== '') return own;
    return job && typeof job.id === 'string' && job.id !== '' ? deriveCorrelationKey(job.id, derivedFrom) : undefined;
  }

  #withCorrelation(platform: TicketPlatform, payload: Readonly<Record<string, unknown>>, key: string | undefined): Readonly<Record<string, unknown>> {
    return platform === 'servicenow' && key !== undefined && payload['correlationId'] !== key ? { ...payload, correlationId: key } : payload;
  }

  /** Jira fields the mapping accepts but `issues.create` cannot send: refused rather than silently dropped. */
  #unsendable(platform: TicketPlatform, payload: Readonly<Record<string, unknown>>): FieldIssue[] {
    if (platform !== 'jira') return [];
    return Object.keys(payload)
      .filter((f) => payload[f] !== undefined && !JIRA_CREATE_FIELDS.has(f))
      .map((field) => ({ field, rule: 'unsupported', message: 'is in the field mapping, but JiraClient cannot send it on create yet' }));
  }

  async #send(ctx: SendContext): Promise<TicketResult> {
    const { platform, type, job } = ctx;
    const correlationKey = this.#correlationKey(platform, ctx.payload, ctx.correlationKey, job, ctx.derivedFrom);
    const payload = this.#withCorrelation(platform, ctx.payload, correlationKey);
    const checked = this.#validators.get(platform, type).validate(payload);
    const issues = checked.ok ? this.#unsendable(platform, payload) : checked.issues;
    if (!checked.ok || issues.length) {
      throw this.#failed(ctx, new ValidationError(`Invalid ${platform} ${type}`, issues), correlationKey);
    }
    let sent: SentTicket;
    try {
      sent = await this.#limit.run(() =>
        platform === 'servicenow'
          ? sendToServiceNow(this.servicenow as ServiceNowClient, SERVICENOW_TICKET_TABLES[type as ServiceNowTicketType], checked.value, ctx.signal)
          : sendToJira(this.jira as JiraClient, { ...(payload as unknown as CreateIssueInput), ...(correlationKey ? { correlationKey } : {}) }, ctx.signal),
      );
    } catch (error) {
      throw this.#failed(ctx, error, correlationKey);
    }
    const durationMs = this.#observe(platform, 'success', ctx.started);
    const result: TicketResult = {
      outcome: 'success',
      ...(sent.platform === 'servicenow' ? { platform: sent.platform, number: sent.number, key: undefined } : { platform: sent.platform, number: undefined, key: sent.key }),
      type,
      id: sent.id,
      url: sent.url,
      correlationKey,
      created: sent.created,
      reconciled: sent.reconciled,
      retry: sent.retry,
      template: ctx.template,
      jobId: job?.id,
      raw: sent.raw,
    };
    this.#log('info', {
      operation: ctx.operation,
      job,
      platform,
      outcome: 'success',
      ticketType: type,
      template: ctx.template,
      ticketId: sent.id,
      ticketNumber: sent.number ?? sent.key,
      correlationKey,
      created: sent.created,
      reconciled: sent.reconciled,
      attempts: sent.retry.attempts,
      durationMs,
    });
    return result;
  }

  /** Counts and logs a failed create; returns the error to throw. */
  #failed(ctx: SendContext, error: unknown, correlationKey: string | undefined): unknown {
    const outcome: TicketOutcome = isValidationError(error) ? 'validation_error' : 'error';
    if (isValidationError(error)) {
      const fields = this.#validators.get(ctx.platform, ctx.type).fields;
      for (const issue of error.issues) {
        const head = issue.field.split('.')[0] ?? issue.field;
        const field = fields.includes(head) ? head : UNKNOWN_FIELD;
        this.#metrics.inc(ITSM_METRICS.validationErrorsTotal, { platform: ctx.platform, field });
      }
    }
    const durationMs = this.#observe(ctx.platform, outcome, ctx.started);
    this.#log(outcome === 'error' ? 'error' : 'warn', {
      operation: ctx.operation,
      job: ctx.job,
      platform: ctx.platform,
      outcome,
      ticketType: ctx.type,
      template: ctx.template,
      correlationKey,
      durationMs,
      ...this.#describeError(ctx.platform, error),
    });
    return error;
  }

  #observe(platform: TicketPlatform, outcome: TicketOutcome, started: number): number {
    const durationMs = Math.max(0, this.#clock.now() - started);
    this.#metrics.inc(ITSM_METRICS.ticketCreationTotal, { platform, outcome });
    this.#metrics.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform, outcome }, durationMs / 1000);
    return durationMs;
  }

  /** Error fields for a log line: kind, status, attempts, the issue fields, and a message scrubbed of the client's secrets. */
  #describeError(platform: TicketPlatform, error: unknown): LogFields {
    if (!isItsmError(error)) return { error: error instanceof Error ? error.name : typeof error };
    const client = platform === 'servicenow' ? this.servicenow : this.jira;
    const fields: LogFields = { error: error.name, message: client ? client.redactSecrets(error.message) : error.message };
    if (isHttpError(error)) fields['status'] = error.status;
    const retry = (error as { retry?: RetryMetadata }).retry;
    if (retry) fields['attempts'] = retry.attempts;
    if (isValidationError(error)) fields['issues'] = error.issues.map((i) => i.field);
    return fields;
  }

  #log(level: 'info' | 'warn' | 'error', fields: LogFields & { operation: string; job: TicketJob | undefined; platform: string | null; outcome: string }): void {
    const { job, ...rest } = fields;
    const line: LogFields = { jobId: job?.id ?? null };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) line[k] = v;
    this.#logger[level](`tickets.${fields.operation}`, line);
  }
}

/** The variables with the job injected as `job`; variables you pass under `job` win over the job's own fields. */
function withJob(variables: TemplateVariables, job: TicketJob | undefined): TemplateVariables {
  if (!job) return variables;
  const own = variables['job'];
  return { ...variables, job: { ...job, ...(own !== null && typeof own === 'object' && !Array.isArray(own) ? own : {}) } };
}
