/**
 * `itsmkit/otel`: OpenTelemetry tracing (a span per call, a child span per
 * HTTP attempt, `traceparent` sent to the server) and the ITSM metrics as
 * OpenTelemetry instruments, on `@opentelemetry/api`.
 * @module
 */
export { otelTracer } from './tracer.js';
export type { OtelTracerOptions } from './tracer.js';
export { otelMetricsSink } from './metrics.js';
export type { OtelMetricsSinkOptions } from './metrics.js';
