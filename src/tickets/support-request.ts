import * as z from 'zod/mini';
import { safeParseEnglish, ValidationError, zodIssues } from '../core/index.js';

/** The support counter's request priorities. */
export type SupportPriority = 'Low' | 'Normal' | 'High';

/** A support-counter request (the support counter's `POST /incident` body). */
export interface SupportRequest {
  readonly client: string;
  readonly category: string;
  readonly errorCode?: string | undefined;
  readonly shortDescription: string;
  readonly detailedDescription?: string | undefined;
  readonly priority?: SupportPriority | undefined;
  readonly clientEmail?: string | undefined;
  /** Phase 2: for a `ContactResolver` that looks the client up. */
  readonly clientId?: string | undefined;
  /** Phase 2: for a `ContactResolver` that looks the contact up. */
  readonly clientContactId?: string | undefined;
}

function buildSupportRequestSchema() {
  const required = z
    .string({ error: (issue) => (issue.input === undefined ? 'Required' : 'Expected a string') })
    .check(z.trim(), z.minLength(1, 'Required'));
  // Optional text: `''` and `null` (what forms send for an empty field) count as absent.
  const optional = <T extends z.ZodMiniType<string>>(schema: T) =>
    z.pipe(
      z.transform((v: unknown): unknown => (v === '' || v === null ? undefined : v)),
      z.optional(schema),
    );
  const shortText = () => z.string().check(z.trim(), z.maxLength(100));
  // Unknown keys are ignored.
  return z.object({
    client: required,
    category: required,
    errorCode: optional(shortText()),
    shortDescription: required,
    detailedDescription: optional(z.string()),
    priority: optional(z.enum(['Low', 'Normal', 'High'])),
    clientEmail: optional(z.email()),
    clientId: optional(shortText()),
    clientContactId: optional(shortText()),
  });
}

// Built on first use, so bundles that never parse a support request drop it.
let supportRequestSchema: ReturnType<typeof buildSupportRequestSchema> | undefined;

/**
 * Checks a support request; every problem is one {@link ValidationError}
 * issue named by its path (a missing `shortDescription` is
 * `{ field: 'shortDescription', rule: 'invalid_type', message: 'Required' }`).
 */
export function parseSupportRequest(input: unknown): SupportRequest {
  const result = safeParseEnglish((supportRequestSchema ??= buildSupportRequestSchema()), input);
  if (!result.success) throw new ValidationError('Invalid request payload', zodIssues(result.error));
  return result.data;
}

/**
 * The incident description, composed as the support counter does: the detailed
 * description, `Error Code: <code>` and `Client: <client>`, as paragraphs.
 * The `Client:` line is how list and activity views find the client again.
 */
export function composeDescription(request: Pick<SupportRequest, 'client' | 'errorCode' | 'detailedDescription'>): string {
  return [request.detailedDescription, request.errorCode ? `Error Code: ${request.errorCode}` : undefined, `Client: ${request.client}`]
    .filter((part) => part !== undefined && part.trim() !== '')
    .join('\n\n');
}

/** The client named on the last `Client:` line of a description, or `null`. */
export function clientFromDescription(description: string | undefined): string | null {
  if (!description) return null;
  const matches = [...description.matchAll(/^Client:[ \t]*(.*?)[ \t]*$/gm)];
  const client = matches.at(-1)?.[1];
  return client ? client : null;
}

/**
 * Request priority as impact and urgency: ServiceNow derives an incident's
 * priority from those two (a priority written directly is recomputed), so
 * `High` -> 1 Critical (the support counter sends `"1"`), `Normal` -> 3 Moderate,
 * `Low` -> 4 Low under the base priority lookup.
 */
export const PRIORITY_LEVELS: Readonly<Record<SupportPriority, { readonly impact: string; readonly urgency: string }>> = {
  High: { impact: 'high', urgency: 'high' },
  Normal: { impact: 'medium', urgency: 'medium' },
  Low: { impact: 'low', urgency: 'medium' },
};

/**
 * The incident payload (SDK field names of the incident field mapping) for a
 * request, as the support counter maps it: `short_description`, the composed
 * `description`, `category`, `u_client`, `u_source`, `contact_type:
 * self-service`, `u_client_email`, and the priority as impact and urgency.
 */
export function toIncidentPayload(request: SupportRequest, email: string | undefined, source: string): Record<string, unknown> {
  return {
    shortDescription: request.shortDescription,
    description: composeDescription(request),
    category: request.category,
    client: request.client,
    source,
    contactType: 'self-service',
    ...(email ? { clientEmail: email } : {}),
    ...(request.priority ? PRIORITY_LEVELS[request.priority] : {}),
  };
}
