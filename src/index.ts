/**
 * itsmkit: typed, reliable ServiceNow and Jira tickets, templates,
 * classification and data-source connections for host services.
 *
 * Every export is named here (no `export *`), so the public surface is this file.
 * @packageDocumentation
 */

// --- core -------------------------------------------------------------------
export { VERSION } from './version.js';
export {
  ItsmError,
  HttpError,
  AuthError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  NetworkError,
  TimeoutError,
  AbortedError,
  ValidationError,
  ConfigError,
  TemplateError,
  StatusMessageError,
  createHttpError,
  isItsmError,
  isHttpError,
  isAuthError,
  isForbiddenError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isUnexpectedResponseError,
  isNetworkError,
  isTimeoutError,
  isAbortedError,
  isValidationError,
  isConfigError,
  isTemplateError,
  isStatusMessageError,
} from './core/errors.js';
export type {
  Platform,
  RetryMetadata,
  PlatformErrorDetail,
  FieldIssue,
  ItsmErrorOptions,
  RequestErrorContext,
  HttpErrorInit,
  RateLimitInfo,
  TransportFailureInit,
} from './core/errors.js';
export { RetryPolicy, AttemptFailure } from './core/retry-policy.js';
export type {
  RetryPolicyOptions,
  AttemptFailureInfo,
  AttemptContext,
  RetryDecisionInfo,
  ExecuteOptions,
  Retried,
} from './core/retry-policy.js';
export { Transport } from './core/transport.js';
export type {
  FetchLike,
  HttpMethod,
  QueryValue,
  ResponseKind,
  RequestSpec,
  ReconcileContext,
  TransportResponse,
  TransportOptions,
} from './core/transport.js';
export { basicAuth, bearerAuth, headerAuth, dynamicAuth, isAuthProvider } from './core/auth.js';
export type { AuthContext, AuthProvider, TokenSource } from './core/auth.js';
export { oauth2Auth } from './core/oauth.js';
export type { OAuthGrant, OAuthTokens, OAuth2Options } from './core/oauth.js';
export { systemClock } from './core/clock.js';
export type { Clock } from './core/clock.js';
export { silentLogger } from './core/logger.js';
export type { Logger, LogFields } from './core/logger.js';
export { createEmitter } from './core/events.js';
export type { Emitter, TransportEvents, RequestEvent, ResponseEvent, RetryEvent, ErrorEvent } from './core/events.js';
export { REDACTED, redactUrl, redactHeaders, redactValue, isSecretKey } from './core/redact.js';
export { path, encodeSegment } from './core/path.js';
export { parseRetryAfter, parseRateLimitReset, readRateLimit } from './core/rate-limit.js';
export { InMemoryMetricsSink, noopMetricsSink } from './core/metrics.js';
export type {
  MetricLabels,
  CounterDefinition,
  HistogramDefinition,
  MetricDefinition,
  MetricsSink,
  HistogramSnapshot,
} from './core/metrics.js';

// --- servicenow ---------------------------------------------------------------

// --- jira ---------------------------------------------------------------------

// --- tickets ------------------------------------------------------------------
export { loadItsmConfig, retryPolicyOptions, compilePayloadValidators } from './tickets/config.js';
export type { PayloadValidators } from './tickets/config.js';
export { loadItsmConfigFile } from './tickets/config-file.js';
export { TICKET_TYPES } from './tickets/config-schema.js';
export type {
  TicketPlatform,
  ServiceNowTicketType,
  JiraTicketType,
  TicketType,
  JsonValue,
  FieldType,
  CustomCheck,
  FieldRule,
  FieldMap,
  FieldMapping,
  TemplateVariable,
  TemplateDefinition,
  RecommendedResource,
  ClassificationRule,
  CategoryDefault,
  ClassificationConfig,
  TimeoutConfig,
  ItsmConfig,
  ItsmConfigInput,
} from './tickets/config-schema.js';
export { DEFAULT_ITSM_CONFIG } from './tickets/default-config.js';
export { compileValidator, fieldMapIssues } from './tickets/validator.js';
export type { ValidatorOptions, ValidationResult, PayloadValidator } from './tickets/validator.js';
export { compileSafePattern, unsafePatternReason, DEFAULT_MAX_PATTERN_INPUT } from './tickets/safe-pattern.js';
export { compileTemplate, renderTemplate } from './tickets/template.js';
export type { TemplateVariables, RenderedTemplate, CompiledTemplate } from './tickets/template.js';
export { TemplateRegistry } from './tickets/template-registry.js';
export type { TemplateSummary } from './tickets/template-registry.js';
export { compileClassifier } from './tickets/classifier.js';
export type { ClassificationInput, ClassificationOutcome, Classification, Classifier } from './tickets/classifier.js';
export { ITSM_METRICS } from './tickets/metrics.js';
export type { TicketOutcome } from './tickets/metrics.js';
export { toHttpValidationBody } from './tickets/http-validation-body.js';
export type { HttpValidationBody } from './tickets/http-validation-body.js';

// --- connections --------------------------------------------------------------
