// What src/core offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export { basicAuth, bearerAuth, dynamicAuth, headerAuth, isAuthProvider } from './auth.js';
export type { AuthContext, AuthProvider, TokenSource } from './auth.js';
export { asCallOptions, callFields } from './call-options.js';
export type { CallOptions } from './call-options.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { isNode } from './default-wire.js';
export { walkProblem } from './depth.js';
export {
  AbortedError,
  ConfigError,
  HttpError,
  ItsmError,
  NotFoundError,
  RateLimitError,
  StatusMessageError,
  TemplateError,
  TimeoutError,
  UnexpectedResponseError,
  ValidationError,
  createHttpError,
  httpErrorFields,
  hasErrorKind,
  isAbortedError,
  isAuthError,
  isConfigError,
  isConnectionError,
  isHttpError,
  isItsmError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isTemplateError,
  isTimeoutError,
  isValidationError,
  withClientName,
} from './errors.js';
export type { FieldIssue, ItsmErrorOptions, PlatformErrorDetail, RetryMetadata } from './errors.js';
export { createEmitter } from './events.js';
export type { Emitter, RetryEvent, TransportEvents } from './events.js';
export { PROXY_VARIABLES } from './http-options.js';
export type { HttpOptions } from './http-options.js';
export { TicketMayExistError } from './idempotency-errors.js';
export type { IdempotencyStore, Reservation, ReserveOptions } from './idempotency-store.js';
export { parseJsonInput, parseJsonObject } from './json-input.js';
export { KeyedCreates, fingerprintOf } from './keyed-create.js';
export type { CreateOutcome, DuplicateEvent, Fetched, IdempotencyOptions } from './keyed-create.js';
export { silentLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export { AmbiguousMatchError, NoMatchError } from './lookup-errors.js';
export { InMemoryMetricsSink, noopMetricsSink } from './metrics.js';
export type { CounterDefinition, HistogramDefinition, MetricDefinition, MetricLabels, MetricsSink } from './metrics.js';
export { oauth2Auth } from './oauth.js';
export type { OAuth2Options, OAuthTokens } from './oauth.js';
export { encodeSegment, path } from './path.js';
export { isSecretKey, redactUrl, redactValue, scrubSecrets } from './redact.js';
export { RetryPolicy } from './retry-policy.js';
export type { RetryPolicyOptions } from './retry-policy.js';
export { Semaphore } from './semaphore.js';
export type { TracedCall, TracedCallScope, TransportTracer } from './tracing.js';
export { Transport } from './transport.js';
export type { FetchLike, HttpMethod, QueryValue, ReconcileContext, RequestSpec, TransportResponse } from './transport.js';
export { TtlCache, cacheTtlOption } from './ttl-cache.js';
export { wrongAnswer } from './wrong-answer.js';
export type { AnswerSource } from './wrong-answer.js';
export { safeParseEnglish, zodIssues } from './zod-issues.js';
export { isAmbiguousMatchError } from './lookup-errors.js';
export { isNoMatchError } from './lookup-errors.js';
export { ForbiddenError } from './errors.js';
export { downloadBody } from './attachments/download.js';
export { saveToFile } from './attachments/download.js';
export { AttachmentsDisabledError } from './attachments/errors.js';
export { AttachmentTooLargeError } from './attachments/errors.js';
export { formatBytes } from './attachments/errors.js';
export { isAttachmentSourceError } from './attachments/errors.js';
export { isAttachmentTooLargeError } from './attachments/errors.js';
export type { TransferProgress } from './attachments/progress.js';
export { multipartEnvelope } from './attachments/multipart.js';
export { uploadFields } from './attachments/transfer.js';
export type { DownloadOptions } from './attachments/transfer.js';
export type { UploadOptions } from './attachments/transfer.js';
export { prepareUpload } from './attachments/upload-body.js';
export type { UploadSource } from './attachments/upload-body.js';
