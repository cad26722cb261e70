import { context, defaultTextMapSetter, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type TextMapPropagator, type TracerProvider } from '@opentelemetry/api';
import type { TracedCall, TracedCallScope, TransportTracer } from '../../core/index.js';
import { VERSION } from '../../version.js';

/** Options of {@link otelTracer}. */
export interface OtelTracerOptions {
  /** Where the spans go. @default the global provider (`trace.getTracerProvider()`), which follows the SDK registered later */
  readonly tracerProvider?: TracerProvider;
  /**
   * Writes the attempt's context into its headers (W3C `traceparent` with the
   * `W3CTraceContextPropagator`). @default the global propagator (`propagation`), set up by the OpenTelemetry SDK
   */
  readonly propagator?: TextMapPropagator;
}

/**
 * A {@link TransportTracer} on `@opentelemetry/api`, for the `tracer` option
 * of `ServiceNowClient`, `JiraClient` and `ConnectionsClient`. Each call
 * becomes a CLIENT span named `<platform> <operation>` (`servicenow
 * incident.create`), a child of the active span; each HTTP attempt in it a
 * CLIENT span named after the method (`POST`), as the HTTP client semantic
 * conventions name them, whose context is sent to the server in the
 * attempt's headers (`traceparent`).
 *
 * Both carry `http.request.method`, `url.full` (secrets redacted, as on
 * events and errors), `server.address`, `server.port`, `itsmkit.platform`
 * and `itsmkit.operation`; when they end, `http.response.status_code`,
 * `http.request.resend_count` (attempts after the first) and, on failure,
 * `error.type` (`'503'`, `'TimeoutError'`) with status ERROR. A call whose
 * write was found by a lookup after an ambiguous failure has `itsmkit.reconciled`.
 *
 * @example
 * const sn = new ServiceNowClient({ instanceUrl, auth, tracer: otelTracer() });
 */
export function otelTracer(options: OtelTracerOptions = {}): TransportTracer {
  const { propagator } = options;
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer('itsmkit', VERSION);
  const inject = propagator
    ? (ctx: Context, carrier: Record<string, string>) => propagator.inject(ctx, carrier, defaultTextMapSetter)
    : (ctx: Context, carrier: Record<string, string>) => propagation.inject(ctx, carrier);
  return {
    startCall(call: TracedCall): TracedCallScope {
      const parent = context.active();
      const attributes = callAttributes(call);
      const span = tracer.startSpan(`${call.platform} ${call.operation ?? call.method}`, { kind: SpanKind.CLIENT, attributes }, parent);
      const callContext = trace.setSpan(parent, span);
      return {
        startAttempt({ attempt }) {
          const resends = attempt - 1;
          const attemptSpan = tracer.startSpan(call.method, { kind: SpanKind.CLIENT, attributes: resends > 0 ? { ...attributes, 'http.request.resend_count': resends } : attributes }, callContext);
          const headers: Record<string, string> = {};
          inject(trace.setSpan(callContext, attemptSpan), headers);
          return { headers, end: (outcome) => finish(attemptSpan, outcome.status, outcome.errorType) };
        },
        end(outcome) {
          const resends = outcome.retry.attempts - 1;
          if (resends > 0) span.setAttribute('http.request.resend_count', resends);
          if (outcome.reconciled) span.setAttribute('itsmkit.reconciled', true);
          if (outcome.error) span.recordException(outcome.error);
          finish(span, outcome.status, outcome.errorType, outcome.error?.message);
        },
      };
    },
  };
}

/** The attributes a call and its attempts share. */
function callAttributes(call: TracedCall): Attributes {
  const attributes: Attributes = { 'http.request.method': call.method, 'url.full': call.url, 'itsmkit.platform': call.platform };
  if (call.operation !== undefined) attributes['itsmkit.operation'] = call.operation;
  try {
    const url = new URL(call.url);
    attributes['server.address'] = url.hostname;
    attributes['server.port'] = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  } catch {
    // A URL the redaction could not parse carries no server.
  }
  return attributes;
}

function finish(span: Span, status: number | undefined, errorType: string | undefined, message?: string): void {
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (errorType !== undefined) {
    span.setAttribute('error.type', errorType);
    span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
  }
  span.end();
}
