/**
 * `itsmkit/prometheus`: the metrics sink on prom-client and a `/metrics` handler.
 * @module itsmkit/prometheus
 */
export { PrometheusMetricsSink } from './sink.js';
export type { PrometheusMetricsSinkOptions } from './sink.js';
export { metricsHandler } from './handler.js';
