import {
  type AuthProvider,
  type Clock,
  ConfigError,
  type FetchLike,
  headerAuth,
  isAuthProvider,
  type Logger,
  redactUrl,
  type RetryPolicy,
  type RetryPolicyOptions,
  Transport,
  UnexpectedResponseError,
} from '../../core/index.js';
import type { WebhookPayload, WebhookTransport } from '../ports.js';

/** Options of an {@link HttpWebhookTransport}. */
export interface HttpWebhookTransportOptions {
  /** The external service's webhook URL (what hosts often call `AUTOMATION_WEBHOOK_URL`). */
  readonly url: string;
  /**
   * The `Authorization` header value (what hosts often call `AUTOMATION_AUTH`), or any auth provider.
   * @default no auth header
   */
  readonly auth?: string | AuthProvider;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** @default RetryPolicy.from() */
  readonly retry?: RetryPolicy | RetryPolicyOptions;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * The default {@link WebhookTransport}: one JSON POST per event to a configured
 * URL through the core transport (its retry policy, timeouts and redaction).
 * Payloads (which may carry credentials on verify) are never logged.
 */
export class HttpWebhookTransport implements WebhookTransport {
  readonly transport: Transport;
  private readonly url: string;

  constructor(options: HttpWebhookTransportOptions) {
    const auth = typeof options.auth === 'string' ? headerAuth('authorization', options.auth, 'webhook.auth') : options.auth;
    this.url = options.url;
    this.transport = new Transport({
      baseUrl: originOf(options.url),
      platform: 'webhook',
      ...(auth && isAuthProvider(auth) ? { auth } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /**
   * POSTs one event. Any 2xx is delivery, except an HTML page: that is a
   * proxy or login page answering in the receiver's place, so it throws an
   * `UnexpectedResponseError` (the caller then reports the webhook as failed
   * instead of waiting for a result that will never come).
   */
  async send(payload: WebhookPayload, options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    const res = await this.transport.request<string>({
      method: 'POST',
      path: this.url,
      json: payload,
      responseType: 'text',
      // Receivers such as Google Apps Script answer a POST with a redirect to its result.
      followRedirects: true,
      operation: `webhook.${payload.action}`,
      notRetriedHint: 'the external service may have received the event; trigger the operation again if no status message arrives',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (/html/i.test(res.headers.get('content-type') ?? '')) {
      throw new UnexpectedResponseError({
        platform: 'webhook',
        method: 'POST',
        url: redactUrl(new URL(this.url)),
        status: res.status,
        requestId: res.requestId,
        retry: res.retry,
        hint: 'The webhook answered with an HTML page (a proxy or login page), so the event was not delivered',
      });
    }
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new ConfigError('Invalid webhook url', [{ field: 'webhook.url', rule: 'url', message: 'must be an absolute http(s) URL' }]);
  }
}
