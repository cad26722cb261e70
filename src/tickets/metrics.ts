import type { CounterDefinition, HistogramDefinition } from '../core/index.js';

/**
 * Outcomes of a ticket creation, the `outcome` label's values:
 * - `success`: the ticket exists (created, or found by its correlation key after an ambiguous failure);
 * - `validation_error`: the payload broke a field rule; nothing was sent;
 * - `error`: the platform call failed (HTTP error, network, timeout, abort).
 *
 * A template that cannot be rendered never becomes a creation: it is counted
 * by `itsm_template_rendering_errors_total` alone.
 */
export type TicketOutcome = 'success' | 'validation_error' | 'error';

/**
 * The five ITSM metrics plus the duplicates counter, with their label names
 * and (for the duration) histogram buckets in seconds around the 2 s p95 target.
 */
export const ITSM_METRICS: {
  readonly ticketCreationTotal: CounterDefinition;
  readonly ticketCreationDurationSeconds: HistogramDefinition;
  readonly ticketRetryAttemptsTotal: CounterDefinition;
  readonly validationErrorsTotal: CounterDefinition;
  readonly templateRenderingErrorsTotal: CounterDefinition;
  readonly ticketDuplicatesTotal: CounterDefinition;
} = {
  ticketCreationTotal: {
    kind: 'counter',
    name: 'itsm_ticket_creation_total',
    help: 'Ticket creations, by platform and outcome (success, validation_error, error).',
    labelNames: ['platform', 'outcome'],
  },
  ticketCreationDurationSeconds: {
    kind: 'histogram',
    name: 'itsm_ticket_creation_duration_seconds',
    help: 'Time to create a ticket, retries included, in seconds.',
    labelNames: ['platform', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  },
  ticketRetryAttemptsTotal: {
    kind: 'counter',
    name: 'itsm_ticket_retry_attempts_total',
    help: 'Retries (attempts after the first) made while creating tickets.',
    labelNames: ['platform'],
  },
  validationErrorsTotal: {
    kind: 'counter',
    name: 'itsm_validation_errors_total',
    help: 'Payload validation issues, by platform and field.',
    labelNames: ['platform', 'field'],
  },
  templateRenderingErrorsTotal: {
    kind: 'counter',
    name: 'itsm_template_rendering_errors_total',
    help: 'Template renderings that failed, by template name.',
    labelNames: ['template_name'],
  },
  ticketDuplicatesTotal: {
    kind: 'counter',
    name: 'itsm_ticket_duplicates_total',
    help: 'Tickets found sharing a correlation key with an older one (kept), by platform.',
    labelNames: ['platform'],
  },
};
