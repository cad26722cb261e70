import * as z from 'zod/mini';
import { ConfigError, type FieldIssue, isValidationError, type LogFields, type Logger, safeParseEnglish, silentLogger, ValidationError, zodIssues } from '../core/index.js';
import { encodedQuery, type IncidentField, type ServiceNowClient } from '../servicenow/index.js';
import { compileClassifier, normaliseCategory, type Classification, type Classifier } from './classifier.js';
import type { RecommendedResource } from './config-schema.js';
import { googleWorkspaceAccountAccess } from './google-workspace-automation.js';
import {
  LoggingNotifier,
  requestEmailResolver,
  type AutomationContext,
  type AutomationOutcome,
  type ContactResolver,
  type NotificationResult,
  type Notifier,
  type SupportAutomation,
} from './ports.js';
import { clientFromDescription, parseSupportRequest, toIncidentPayload, type SupportRequest } from './support-request.js';
import type { ServiceNowTicketResult, TicketService } from './ticket-service.js';
import { autoLines, classifiedWorkNote } from './work-notes.js';

/** Where support incidents come from: written to `u_source`, and the `source` filter's value. */
export interface SupportSource {
  /** Written to `u_source`. */
  readonly name: string;
  /** The value of `listIncidents({ source })` that selects these incidents. */
  readonly key: string;
}

/** Options of a {@link SupportCounter}. */
export interface SupportCounterOptions {
  /** Creates the incidents (validation, correlation, metrics); needs a ServiceNow client. */
  readonly tickets: TicketService;
  /** @default requestEmailResolver (the request's `clientEmail`) */
  readonly contactResolver?: ContactResolver;
  /** @default new LoggingNotifier(logger) (logs, `emailSent: false`) */
  readonly notifier?: Notifier;
  /** Category automations; the first whose category matches runs. @default [googleWorkspaceAccountAccess()] */
  readonly automations?: readonly SupportAutomation[];
  /** @default compileClassifier(tickets.config.classification) */
  readonly classifier?: Classifier;
  /** @default { name: 'BBP Support Counter', key: 'bbp' } */
  readonly source?: SupportSource;
  /**
   * Whether a classified request (no automation) is acknowledged too; by
   * default only categories with an automation are. @default false
   */
  readonly acknowledgeClassified?: boolean;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** The automation summary of the support counter's response. */
export interface SupportAutomationSummary {
  /** False when the request fell through to `Unclassified / Manual Review`. */
  readonly classified: boolean;
  readonly emailSent: boolean;
  readonly emailProvider: string | null;
  readonly workNoteAdded: boolean;
}

/** The support counter's enriched response, in camelCase (`toSupportIncidentBody` gives the wire JSON), plus how it was reached. */
export interface SupportIncidentResult {
  readonly sysId: string;
  readonly number: string;
  readonly client: string;
  readonly category: string;
  readonly shortDescription: string;
  readonly detailedDescription: string | undefined;
  /** The incident's state code as created (`1` New). */
  readonly state: string;
  /** The request's priority (`High`), echoed as given. */
  readonly priority: string | undefined;
  readonly topic: string;
  readonly recommendedResources: readonly RecommendedResource[];
  readonly automation: SupportAutomationSummary;
  /** The automation that ran, or `null` when the request was classified. */
  readonly automationName: string | null;
  /** The classification and why its topic won. */
  readonly classification: Classification;
  /** The created ticket, with its correlation key and retry metadata. */
  readonly ticket: ServiceNowTicketResult;
}

/** Filters of {@link SupportCounter.listIncidents} (the support counter's `GET /incidents` query). */
export interface IncidentListFilters {
  /** `open` (New, In Progress, On Hold), `resolved` (Resolved, Closed), or a state code. */
  readonly state?: string;
  /** The source's key (`bbp`): incidents whose description carries a `Client:` line. */
  readonly source?: string;
  /** @default 20 */
  readonly limit?: number | string;
  /** @default 0 */
  readonly offset?: number | string;
}

/** One incident in a list (the support counter's list item, camelCase). */
export interface IncidentListItem {
  readonly sysId: string;
  readonly number: string;
  readonly shortDescription: string;
  readonly description: string | undefined;
  /** State code (`1`). */
  readonly state: string;
  /** Priority code (`1`). */
  readonly priority: string | undefined;
  readonly category: string | undefined;
  /** As ServiceNow stores it: UTC `YYYY-MM-DD HH:MM:SS`. */
  readonly sysCreatedOn: string | undefined;
  /** Parsed from the description's `Client:` line. */
  readonly client: string | null;
}

/** One `[AUTO]` line of a work note (the support counter's activity entry, camelCase). */
export interface AutomationActivity {
  /** ISO 8601, from the incident's `sys_updated_on`. */
  readonly timestamp: string;
  readonly incidentNumber: string;
  readonly client: string | null;
  /** The line without its `[AUTO]` prefix. */
  readonly summary: string;
  readonly sysId: string;
}

const STATE_GROUPS: Readonly<Record<string, readonly string[]>> = { open: ['1', '2', '3'], resolved: ['6', '7'] };
const LIST_FIELDS: IncidentField[] = ['sys_id', 'number', 'short_description', 'description', 'state', 'priority', 'category', 'sys_created_on'];

function buildFilterSchemas() {
  const count = (fallback: number, max: number) =>
    z.pipe(
      z.transform((v: unknown): unknown => (v === undefined || v === '' ? fallback : typeof v === 'string' ? Number(v) : v)),
      z.number().check(z.int(), z.gte(0), z.lte(max)),
    );
  const positive = z.refine<number>((n) => n >= 1, 'must be at least 1');
  return {
    list: z.object({
      state: z.optional(z.string().check(z.regex(/^(open|resolved|-?\d+)$/, 'must be open, resolved or a state number'))),
      source: z.optional(z.string()),
      limit: count(20, 1000).check(positive),
      offset: count(0, 1_000_000),
    }),
    activity: z.object({ limit: count(50, 1000).check(positive) }),
  };
}

// Built on first use, so bundles that never list incidents drop them.
let builtFilterSchemas: ReturnType<typeof buildFilterSchemas> | undefined;
const filterSchemas = () => (builtFilterSchemas ??= buildFilterSchemas());

/**
 * The support-counter backend as a library: validate the request,
 * resolve the contact email, create the incident, run the category's
 * automation or classify, write the `[AUTO]` work note, acknowledge, and
 * answer with the enriched result; plus the incident list and the automation
 * activity feed. Mount it over HTTP with `createTicketsHandler`.
 *
 * A failure after the incident exists (automation, notifier, work note) is
 * logged and reported in the result (`workNoteAdded: false`, `emailSent:
 * false`), never thrown: the caller must not retry and open a second incident.
 * A failing automation falls back to the classifier.
 */
export class SupportCounter {
  readonly #tickets: TicketService;
  readonly #servicenow: ServiceNowClient;
  readonly #resolver: ContactResolver;
  readonly #notifier: Notifier;
  readonly #automations: readonly SupportAutomation[];
  readonly #classifier: Classifier;
  readonly #source: SupportSource;
  readonly #acknowledgeClassified: boolean;
  readonly #logger: Logger;

  constructor(options: SupportCounterOptions) {
    const servicenow = options?.tickets?.servicenow;
    if (!servicenow) {
      throw new ConfigError('SupportCounter needs a TicketService with a ServiceNow client', [
        { field: 'tickets.servicenow', rule: 'required', message: 'create the TicketService with a ServiceNowClient' },
      ]);
    }
    this.#tickets = options.tickets;
    this.#servicenow = servicenow;
    this.#logger = options.logger ?? silentLogger;
    this.#resolver = options.contactResolver ?? requestEmailResolver;
    this.#notifier = options.notifier ?? new LoggingNotifier(this.#logger);
    this.#automations = options.automations ?? [googleWorkspaceAccountAccess()];
    this.#classifier = options.classifier ?? compileClassifier(options.tickets.config.classification);
    this.#source = options.source ?? { name: 'BBP Support Counter', key: 'bbp' };
    this.#acknowledgeClassified = options.acknowledgeClassified ?? false;
  }

  /**
   * Opens an incident for a support request (the support counter's `POST /incident`).
   * The request is checked at run time too (a body from the wire is passed
   * as it came): a bad one is a {@link ValidationError} naming each path; ServiceNow
   * failures throw the client's error. Pass `correlationKey` (an
   * Idempotency-Key) to make the call safe to retry: a repeat returns the
   * existing incident (`ticket.created: false`) and sends no second email or
   * work note.
   */
  async createSupportIncident(input: SupportRequest, options: { readonly correlationKey?: string; readonly signal?: AbortSignal } = {}): Promise<SupportIncidentResult> {
    let request: SupportRequest;
    try {
      request = parseSupportRequest(input);
    } catch (error) {
      this.#log('warn', 'createSupportIncident', 'validation_error', { issues: (error as ValidationError).issues.map((i) => i.field) });
      throw error;
    }
    const email = await this.#resolveEmail(request);
    let ticket: ServiceNowTicketResult;
    try {
      ticket = await this.#tickets.create({
        platform: 'servicenow',
        type: 'incident',
        payload: toIncidentPayload(request, email, this.#source.name),
        ...(options.correlationKey !== undefined ? { correlationKey: options.correlationKey } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      this.#log(isValidationError(error) ? 'warn' : 'error', 'createSupportIncident', isValidationError(error) ? 'validation_error' : 'error', { error: (error as Error).name });
      throw error;
    }
    const incident = { sysId: ticket.id, number: ticket.number };
    const automation = this.#automations.find((a) => normaliseCategory(a.category) === normaliseCategory(request.category));
    // A repeat of a request whose incident already exists (same key) classifies, but
    // sends no second email and writes no second work note: the first call did.
    const outcome = !ticket.created
      ? { classification: this.#classifier.classify(request), notification: undefined, workNote: undefined, automationName: null }
      : ((automation && (await this.#automate(automation, request, email, incident))) ?? (await this.#classify(request, email, incident)));
    const workNoteAdded = outcome.workNote !== undefined && (await this.#addWorkNote(incident.sysId, outcome.workNote));
    const { classification, notification } = outcome;
    const raw = ticket.raw as Readonly<Record<string, unknown>>;
    const result: SupportIncidentResult = {
      sysId: ticket.id,
      number: ticket.number,
      client: request.client,
      category: request.category,
      shortDescription: request.shortDescription,
      detailedDescription: request.detailedDescription,
      state: typeof raw['state'] === 'string' ? raw['state'] : '',
      priority: request.priority,
      topic: classification.topic,
      recommendedResources: classification.resources,
      automation: {
        classified: classification.outcome !== 'fallback',
        emailSent: notification?.emailSent ?? false,
        emailProvider: notification?.emailProvider ?? null,
        workNoteAdded,
      },
      automationName: outcome.automationName,
      classification,
      ticket,
    };
    this.#log('info', 'createSupportIncident', 'success', {
      incidentNumber: ticket.number,
      topic: classification.topic,
      automation: outcome.automationName,
      emailSent: result.automation.emailSent,
      workNoteAdded,
      attempts: ticket.retry.attempts,
    });
    return result;
  }

  /** Incidents, newest first, with the support counter's filters; a bad filter is a {@link ValidationError} naming it. */
  async listIncidents(filters: IncidentListFilters = {}, options: { readonly signal?: AbortSignal } = {}): Promise<{ incidents: IncidentListItem[]; total: number | undefined }> {
    const f = parse(filterSchemas().list, filters, 'Invalid incident filters');
    if (f.source !== undefined && f.source !== this.#source.key) {
      throw new ValidationError('Invalid incident filters', [{ field: 'source', rule: 'enum', message: `must be "${this.#source.key}"` }]);
    }
    let query = encodedQuery<IncidentField>();
    if (f.state !== undefined) {
      const group = STATE_GROUPS[f.state];
      query = group ? query.where('state', 'IN', group) : query.where('state', '=', f.state);
    }
    if (f.source !== undefined) query = query.where('description', 'LIKE', 'Client:');
    const page = await this.#servicenow.incidents.search(query.orderByDesc('sys_created_on'), {
      fields: LIST_FIELDS,
      limit: f.limit,
      offset: f.offset,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const incidents = page.records.map(({ raw, sysId, number }) => {
      const text = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined);
      return {
        sysId,
        number,
        shortDescription: text('short_description') ?? '',
        description: text('description'),
        state: text('state') ?? '',
        priority: text('priority'),
        category: text('category'),
        sysCreatedOn: text('sys_created_on'),
        client: clientFromDescription(text('description')),
      };
    });
    this.#log('info', 'listIncidents', 'success', { count: incidents.length });
    return { incidents, total: page.total };
  }

  /**
   * The support counter's automation activity: incidents matching
   * `work_notesLIKE[AUTO]^descriptionLIKEClient:` (most recently updated
   * first, at most `limit`), one entry per `[AUTO]` line of their work notes,
   * at most `limit` entries.
   */
  async automationActivity(filters: { readonly limit?: number | string } = {}, options: { readonly signal?: AbortSignal } = {}): Promise<{ activities: AutomationActivity[]; count: number }> {
    const { limit } = parse(filterSchemas().activity, filters, 'Invalid activity filters');
    const query = encodedQuery<IncidentField>().where('work_notes', 'LIKE', '[AUTO]').where('description', 'LIKE', 'Client:').orderByDesc('sys_updated_on');
    // Journal text only comes back as a display value; `all` keeps database values for the rest.
    const page = await this.#servicenow.incidents.search(query, {
      fields: ['sys_id', 'number', 'description', 'sys_updated_on', 'work_notes'],
      displayValue: 'all',
      limit,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const activities: AutomationActivity[] = [];
    for (const incident of page.records) {
      const client = clientFromDescription(incident.description);
      for (const summary of autoLines(incident.display?.['workNotes'] ?? '')) {
        activities.push({
          timestamp: incident.sysUpdatedOn?.toISOString() ?? '',
          incidentNumber: incident.number,
          client,
          summary,
          sysId: incident.sysId,
        });
      }
    }
    const out = activities.slice(0, limit);
    this.#log('info', 'automationActivity', 'success', { count: out.length });
    return { activities: out, count: out.length };
  }

  async #resolveEmail(request: SupportRequest): Promise<string | undefined> {
    try {
      return await this.#resolver.resolveEmail(request);
    } catch (error) {
      this.#log('warn', 'resolveContactEmail', 'error', { error: (error as Error).name });
      return undefined;
    }
  }

  #context(request: SupportRequest, email: string | undefined, incident: AutomationContext['incident']): AutomationContext {
    return {
      request,
      email,
      incident,
      classify: (input) => this.#classifier.classify(input),
      acknowledge: async (classification) => {
        if (!email) return undefined;
        try {
          return await this.#notifier.sendAcknowledgement({
            to: email,
            incidentNumber: incident.number,
            incidentSysId: incident.sysId,
            client: request.client,
            topic: classification.topic,
            recommendedResources: classification.resources,
          });
        } catch (error) {
          this.#log('warn', 'sendAcknowledgement', 'error', { incidentNumber: incident.number, error: (error as Error).name });
          return { emailSent: false, emailProvider: null } satisfies NotificationResult;
        }
      },
      logger: this.#logger,
    };
  }

  async #automate(
    automation: SupportAutomation,
    request: SupportRequest,
    email: string | undefined,
    incident: AutomationContext['incident'],
  ): Promise<(AutomationOutcome & { automationName: string | null }) | undefined> {
    try {
      return { ...(await automation.run(this.#context(request, email, incident))), automationName: automation.name };
    } catch (error) {
      this.#log('error', 'automation', 'error', { automation: automation.name, incidentNumber: incident.number, error: (error as Error).name });
      return undefined;
    }
  }

  async #classify(request: SupportRequest, email: string | undefined, incident: AutomationContext['incident']): Promise<AutomationOutcome & { automationName: null }> {
    const context = this.#context(request, email, incident);
    const classification = context.classify(request);
    const notification = this.#acknowledgeClassified ? await context.acknowledge(classification) : undefined;
    const sentTo = notification?.emailSent ? email : undefined;
    return { classification, notification, workNote: classifiedWorkNote(classification.topic, classification.resources, sentTo), automationName: null };
  }

  async #addWorkNote(sysId: string, note: string): Promise<boolean> {
    try {
      await this.#servicenow.incidents.addWorkNote(sysId, note);
      return true;
    } catch (error) {
      this.#log('error', 'addWorkNote', 'error', { error: (error as Error).name });
      return false;
    }
  }

  #log(level: 'info' | 'warn' | 'error', operation: string, outcome: string, fields: LogFields): void {
    const line: LogFields = { jobId: null, platform: 'servicenow', operation, outcome };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) line[k] = v;
    this.#logger[level](`tickets.${operation}`, line);
  }
}

function parse<S extends z.ZodMiniType>(schema: S, input: unknown, message: string): z.output<S> {
  const result = safeParseEnglish(schema, input ?? {});
  if (!result.success) throw new ValidationError(message, zodIssues(result.error) as FieldIssue[]);
  return result.data;
}
