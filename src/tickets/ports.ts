import { type Logger, silentLogger } from '../core/index.js';
import type { Classification, ClassificationInput } from './classifier.js';
import type { RecommendedResource } from './config-schema.js';
import type { SupportRequest } from './support-request.js';

/** Finds the address a support request is acknowledged to (the support counter's `resolveContactEmail`). */
export interface ContactResolver {
  /** The email, or `undefined` when there is none. A throw is logged and treated as none. */
  resolveEmail(request: SupportRequest): Promise<string | undefined>;
}

/** The default resolver: the request's own `clientEmail`. */
export const requestEmailResolver: ContactResolver = {
  resolveEmail: async (request) => request.clientEmail,
};

/** An acknowledgement to send to the client. */
export interface Acknowledgement {
  readonly to: string;
  readonly incidentNumber: string | undefined;
  readonly incidentSysId: string;
  readonly client: string;
  readonly topic: string;
  readonly recommendedResources: readonly RecommendedResource[];
}

/** What a notifier did. */
export interface NotificationResult {
  /** True only when a provider accepted the email. */
  readonly emailSent: boolean;
  /** The provider that sent it (`sendgrid`, `ses`), or `null`. */
  readonly emailProvider: string | null;
}

/** Sends acknowledgements (e.g. SendGrid, SES, ... later; logged for now). */
export interface Notifier {
  /** Sends one acknowledgement. A throw is logged and reported as not sent. */
  sendAcknowledgement(ack: Acknowledgement): Promise<NotificationResult>;
}

/**
 * The default notifier, the support counter's stub: logs that an acknowledgement is due
 * (incident, topic, resource count; not the address) and reports `emailSent: false`.
 */
export class LoggingNotifier implements Notifier {
  constructor(private readonly logger: Logger = silentLogger) {}

  async sendAcknowledgement(ack: Acknowledgement): Promise<NotificationResult> {
    this.logger.info('tickets.sendAcknowledgement', {
      jobId: null,
      platform: 'servicenow',
      operation: 'sendAcknowledgement',
      outcome: 'logged',
      incidentNumber: ack.incidentNumber ?? null,
      topic: ack.topic,
      resources: ack.recommendedResources.length,
    });
    return { emailSent: false, emailProvider: null };
  }
}

/** What a category automation is given. */
export interface AutomationContext {
  readonly request: SupportRequest;
  /** The resolved contact email, if any. */
  readonly email: string | undefined;
  readonly incident: { readonly sysId: string; readonly number: string };
  /** The configured classifier. */
  classify(input: ClassificationInput): Classification;
  /** Sends the acknowledgement through the notifier (errors logged, reported as not sent); resolves `undefined` without an email. */
  acknowledge(classification: Classification): Promise<NotificationResult | undefined>;
  readonly logger: Logger;
}

/** What a category automation did. */
export interface AutomationOutcome {
  readonly classification: Classification;
  /** The acknowledgement's result, or `undefined` when none was sent. */
  readonly notification: NotificationResult | undefined;
  /** The `[AUTO]` work note to add, or `undefined` for none. */
  readonly workNote: string | undefined;
}

/** Automation for one request category (the support counter's `hasAutomation` / `automate...`). */
export interface SupportAutomation {
  /** Names the automation in logs and results. */
  readonly name: string;
  /** The category it runs for, compared as the classifier compares categories (case, dashes and spacing ignored). */
  readonly category: string;
  run(context: AutomationContext): Promise<AutomationOutcome>;
}
