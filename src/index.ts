/**
 * itsmkit: typed, reliable ServiceNow and Jira tickets, templates,
 * classification and data-source connections for host services.
 *
 * Every export is named here (no `export *`), so the public surface is this file.
 * @module itsmkit
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
  ConnectionError,
  TimeoutError,
  AbortedError,
  ValidationError,
  ConfigError,
  TemplateError,
  StatusMessageError,
  brandError,
  hasErrorKind,
  isItsmError,
  isHttpError,
  isAuthError,
  isForbiddenError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isUnexpectedResponseError,
  isNetworkError,
  isConnectionError,
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
  StreamBody,
  TransportResponse,
  TransportOptions,
} from './core/transport.js';
export { basicAuth, bearerAuth, headerAuth, dynamicAuth } from './core/auth.js';
export type { AuthContext, AuthProvider, TokenSource } from './core/auth.js';
export { oauth2Auth } from './core/oauth.js';
export type { OAuthGrant, OAuthTokens, OAuth2Options } from './core/oauth.js';
export { systemClock } from './core/clock.js';
export type { Clock } from './core/clock.js';
export { silentLogger } from './core/logger.js';
export type { Logger, LogFields } from './core/logger.js';
export type { Emitter, TransportEvents, RequestEvent, ResponseEvent, RetryEvent, ErrorEvent } from './core/events.js';
export { REDACTED, redactValue } from './core/redact.js';
export type { CallOptions } from './core/call-options.js';
export type { HttpOptions, TlsOptions, Pem } from './core/http-options.js';
export type { ConnectionFailureReason } from './core/connect-errors.js';
export type { ResponseHeaders } from './core/wire.js';
export { NoMatchError, AmbiguousMatchError, isNoMatchError, isAmbiguousMatchError } from './core/lookup-errors.js';
export {
  AttachmentTooLargeError,
  AttachmentSourceError,
  AttachmentsDisabledError,
  isAttachmentTooLargeError,
  isAttachmentSourceError,
  isAttachmentsDisabledError,
} from './core/attachments/errors.js';
export type { AttachmentTooLargeInit, AttachmentSourceReason } from './core/attachments/errors.js';
export { contentTypeFor } from './core/attachments/content-type.js';
export { saveToFile } from './core/attachments/download.js';
export { PROGRESS_INTERVAL_MS } from './core/attachments/progress.js';
export type { TransferProgress, ProgressCallback } from './core/attachments/progress.js';
export { UPLOAD_TIMEOUT_MS } from './core/attachments/transfer.js';
export type { UploadOptions, DownloadOptions } from './core/attachments/transfer.js';
export type { UploadSource, UploadDescription } from './core/attachments/upload-body.js';
export type { LookupCandidate, LookupInit } from './core/lookup-errors.js';
export {
  TicketMayExistError,
  IdempotencyConflictError,
  IdempotencyKeyReusedError,
  IdempotencyStoreError,
  isTicketMayExistError,
  isIdempotencyConflictError,
  isIdempotencyKeyReusedError,
  isIdempotencyStoreError,
} from './core/idempotency-errors.js';
export { MemoryIdempotencyStore } from './core/idempotency-store.js';
export type { IdempotencyStore, Reservation, ReserveOptions } from './core/idempotency-store.js';
export { KeyedCreates, fingerprintOf } from './core/keyed-create.js';
export type { IdempotencyOptions, DuplicateEvent, CreateOutcome, Fetched, KeyedCreateSteps } from './core/keyed-create.js';
export type {
  TransportTracer,
  TracedCall,
  TracedCallScope,
  TracedAttempt,
  TracedAttemptScope,
  TracedAttemptOutcome,
  TracedCallOutcome,
} from './core/tracing.js';
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
export { ServiceNowClient } from './servicenow/client.js';
export type { ServiceNowClientOptions, TestConnectionResult } from './servicenow/client.js';
export type {
  ServiceNowAuth,
  ServiceNowAuthConfig,
  ServiceNowBasicAuth,
  ServiceNowBearerAuth,
  ServiceNowApiKeyAuth,
  ServiceNowOAuth,
} from './servicenow/auth.js';
export { EncodedQuery, encodedQuery } from './servicenow/encoded-query.js';
export type { QueryOperator, QueryScalar, QueryValueArgs, EncodedQueryOptions } from './servicenow/encoded-query.js';
export {
  defineChoices,
  LEVELS,
  INCIDENT_PRIORITIES,
  INCIDENT_STATES,
  CHANGE_STATES,
  CHANGE_RISKS,
  CHANGE_TYPES,
  CHANGE_PRIORITIES,
} from './servicenow/mapper.js';
export type { DisplayValueMode, RawRecord, FieldKind, ChoiceMap, FieldSpec, TableSchema } from './servicenow/mapper.js';
export { TableResource } from './servicenow/table-resource.js';
export type { RecordOptions, ListOptions, Page, TableRecord, Created, WithRetry, WriteControls } from './servicenow/table-resource.js';
export { defineTable } from './servicenow/define-table.js';
export type {
  FieldDeclaration,
  FieldDeclarations,
  NoFields,
  TableDeclarationInput,
  TableDeclaration,
  MergeFields,
  CamelCase,
  ReadValue,
  InputValue,
  CustomValue,
  CustomInput,
  RecordExtras,
  NumberedExtras,
  TableNumbering,
  RecordOf,
  CreateOf,
  UpdateOf,
  FilterOf,
  FieldOf,
} from './servicenow/define-table.js';
export { TASK_FIELDS } from './servicenow/task-fields.js';
export { RecordsResource } from './servicenow/records-resource.js';
export type { ServiceNowSearchOptions } from './servicenow/records-resource.js';
export { TaskRecordsResource, TaskResource } from './servicenow/task-resource.js';
export { LookupResource } from './servicenow/lookup-resource.js';
export type { LookupSpec, LookupOptions } from './servicenow/lookup-resource.js';
export { IncidentsResource, INCIDENT_TABLE } from './servicenow/incidents.js';
export type {
  Incident,
  IncidentCreate,
  IncidentUpdate,
  IncidentFilter,
  IncidentField,
  IncidentState,
  IncidentPriority,
  Level,
  ResolveInput,
} from './servicenow/incidents.js';
export { ProblemsResource, PROBLEM_TABLE, PROBLEM_STATES, PROBLEM_RESOLUTION_CODES } from './servicenow/problems.js';
export type { Problem, ProblemCreate, ProblemUpdate, ProblemFilter, ProblemField, ProblemState, ProblemResolutionCode } from './servicenow/problems.js';
export { ChangeRequestsResource, CHANGE_REQUEST_TABLE } from './servicenow/change-requests.js';
export type {
  ChangeRequest,
  ChangeRequestCreate,
  ChangeRequestUpdate,
  ChangeRequestFilter,
  ChangeRequestField,
  ChangeType,
  ChangeState,
  ChangeRisk,
  ChangePriority,
} from './servicenow/change-requests.js';
export { ChangeTasksResource, CHANGE_TASK_TABLE, CHANGE_TASK_STATES, CHANGE_TASK_TYPES } from './servicenow/change-tasks.js';
export type { ChangeTask, ChangeTaskCreate, ChangeTaskUpdate, ChangeTaskFilter, ChangeTaskField, ChangeTaskState, ChangeTaskType } from './servicenow/change-tasks.js';
export { RequestedItemsResource, REQUESTED_ITEM_TABLE, REQUESTED_ITEM_STATES } from './servicenow/requested-items.js';
export type { RequestedItem, RequestedItemFilter, RequestedItemField, RequestedItemState } from './servicenow/requested-items.js';
export { UsersResource, USER_TABLE } from './servicenow/users.js';
export { ServiceNowAttachments, SERVICENOW_ATTACHMENT_MAX_SIZE_MB } from './servicenow/attachments.js';
export type { ServiceNowAttachment, ListAttachmentsOptions } from './servicenow/attachments.js';
export type { User, UserFilter, UserField } from './servicenow/users.js';
export { GroupsResource, GROUP_TABLE } from './servicenow/groups.js';
export type { Group, GroupFilter, GroupField } from './servicenow/groups.js';
export { ConfigurationItemsResource, CONFIGURATION_ITEM_TABLE, CI_OPERATIONAL_STATUSES, CI_INSTALL_STATUSES } from './servicenow/configuration-items.js';
export type { ConfigurationItem, ConfigurationItemFilter, ConfigurationItemField, ConfigurationItemLookupOptions } from './servicenow/configuration-items.js';
export { JournalResource } from './servicenow/journal.js';
export type { JournalEntry, JournalElement } from './servicenow/journal.js';

// --- jira ---------------------------------------------------------------------
export { JiraClient } from './jira/client.js';
export type { JiraClientOptions, JiraConnectionResult } from './jira/client.js';
export { JiraIssues } from './jira/issues.js';
export type { AssignTo, GetIssueOptions, WriteOptions } from './jira/issues.js';
export type { JiraAuth, JiraAuthConfig, JiraBasicAuth, JiraBearerAuth, JiraOAuth } from './jira/auth.js';
export type { ConsistencyOptions } from './jira/context.js';
export { JiraUsers } from './jira/users.js';
export { JiraAttachments } from './jira/attachments.js';
export type { JiraAttachment, JiraAttachmentLimits } from './jira/attachments.js';
export type { JiraAccount, JiraCloudAccount, JiraDataCenterAccount, FindUsersOptions } from './jira/users.js';
export { textToAdf, adfToText, validateAdf } from './jira/adf.js';
export type { AdfDoc, AdfNode, AdfMark } from './jira/adf.js';
export { jql, jqlString, jqlValue } from './jira/jql.js';
export type { JqlValue } from './jira/jql.js';
export {
  TransitionNotAvailableError,
  IssueMayExistError,
  isTransitionNotAvailableError,
  isIssueMayExistError,
} from './jira/errors.js';
export type { JiraSearchOptions, JiraSearchPageOptions, SearchPage } from './jira/search.js';
export type { TransitionInput } from './jira/transitions.js';
export type { AddCommentOptions } from './jira/comments.js';
export { JiraServiceDesk } from './jira/service-desk/service-desk.js';
export { RequestFieldsError, ServiceDeskPermissionError, isRequestFieldsError, isServiceDeskPermissionError } from './jira/service-desk/errors.js';
export type { NamedField } from './jira/service-desk/errors.js';
export type { JsmPageOptions } from './jira/service-desk/page.js';
export type { CreateRequestInput, CreateRequestOptions } from './jira/service-desk/requests.js';
export type { AddRequestCommentInput, ListRequestCommentsOptions } from './jira/service-desk/comments.js';
export type { ApprovalAnswer } from './jira/service-desk/approvals.js';
export type { RequestTransitionInput } from './jira/service-desk/transitions.js';
export type {
  Approval,
  ApprovalDecision,
  Approver,
  CustomerRequest,
  CustomerTransition,
  JiraFieldSchema,
  JsmDate,
  JsmDuration,
  JsmPage,
  JsmUser,
  RequestComment,
  RequestFieldValue,
  RequestStatus,
  RequestType,
  RequestTypeField,
  RequestTypeFieldValue,
  RequestTypeFields,
  ServiceDesk,
  Sla,
  SlaCycle,
} from './jira/service-desk/types.js';
export type {
  JiraDeployment,
  JiraRichText,
  CreateIssueInput,
  UpdateIssueInput,
  JiraNamed,
  JiraStatus,
  JiraUser,
  JiraIssue,
  CreatedIssue,
  JiraTransition,
  JiraComment,
} from './jira/types.js';

// --- tickets ------------------------------------------------------------------
export { loadItsmConfig, parseItsmConfig, retryPolicyOptions, clientOptions, compilePayloadValidators } from './tickets/config.js';
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
} from './tickets/config-schema.js';
export { defineItsmConfig } from './tickets/config-input.js';
export type {
  ItsmConfigInput,
  RetryPolicyInput,
  TimeoutsInput,
  FieldRuleInput,
  FieldMapInput,
  FieldMappingInput,
  TemplateVariableInput,
  TemplateInput,
  ClassificationRuleInput,
  CategoryDefaultInput,
  ClassificationConfigInput,
} from './tickets/config-input.js';
export { DEFAULT_ITSM_CONFIG } from './tickets/default-config.js';
export { compileValidator } from './tickets/validator.js';
export type { ValidatorOptions, ValidationResult, PayloadValidator } from './tickets/validator.js';
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
export { TicketService } from './tickets/ticket-service.js';
export type {
  TicketJob,
  TicketServiceOptions,
  CreateTicketInput,
  CreateFromTemplateOptions,
  TicketResult,
  ServiceNowTicketResult,
  JiraTicketResult,
  TicketResultCommon,
  TicketResultOf,
  TemplatePreview,
} from './tickets/ticket-service.js';
export { deriveCorrelationKey } from './tickets/correlation-key.js';
export { SupportCounter } from './tickets/support-counter.js';
export type {
  SupportCounterOptions,
  SupportSource,
  SupportAutomationSummary,
  SupportIncidentResult,
  IncidentListFilters,
  IncidentListItem,
  AutomationActivity,
} from './tickets/support-counter.js';
export type { SupportRequest, SupportPriority } from './tickets/support-request.js';
export { requestEmailResolver, LoggingNotifier } from './tickets/ports.js';
export type {
  ContactResolver,
  Acknowledgement,
  NotificationResult,
  Notifier,
  AutomationContext,
  AutomationOutcome,
  SupportAutomation,
} from './tickets/ports.js';
export { googleWorkspaceAccountAccess, GOOGLE_WORKSPACE_ACCOUNT_ACCESS } from './tickets/google-workspace-automation.js';
export { createTicketsHandler } from './tickets/tickets-handler.js';
export { IdempotencyReplay } from './tickets/idempotency-replay.js';
export type { IdempotencyReplayOptions } from './tickets/idempotency-replay.js';
export type { TicketsHandlerOptions, SupportIncidentBody, IncidentListItemBody, AutomationActivityBody } from './tickets/tickets-handler.js';

// --- connections --------------------------------------------------------------
export {
  DATA_SOURCE_TYPES,
  KNOWLEDGE_SOURCE_TYPES,
  ITSM_SOURCE_TYPES,
  SOURCE_METADATA,
  DEFAULT_DATA_SOURCES,
  SOURCE_GROUPS,
  isValidDataSourceType,
  isItsmType,
  isKnowledgeType,
} from './connections/catalog.js';
export type { DataSourceType, KnowledgeSourceType, ItsmSystemType, SourceGroup, SourceMetadata, DataSourceSeed } from './connections/catalog.js';
export { CONNECTION_STATUSES, newConnectionRecord } from './connections/connection.js';
export type {
  ConnectionStatus,
  LastSyncStatus,
  ConnectionOptions,
  ConnectionState,
  NewConnectionInit,
  DataSourceConnection,
  MessageClock,
  ConnectionRecord,
  UpdateTrigger,
  DataSourceUpdate,
  Actor,
} from './connections/connection.js';
export { DataSourceError, isDataSourceError } from './connections/errors.js';
export type { DataSourceErrorCode, DataSourceErrorInit } from './connections/errors.js';
export { parseStatusMessage } from './connections/status-message.js';
export type {
  StatusQueue,
  SyncStatusMessage,
  VerificationStatusMessage,
  StatusMessage,
  ParseStatusMessageResult,
  ParseStatusMessageOptions,
} from './connections/status-message.js';
export { applyStatusMessage, DEFAULT_MAX_FUTURE_SKEW_MS } from './connections/reducer.js';
export type { ApplyResult, ApplyOptions, IgnoreReason, RejectReason } from './connections/reducer.js';
export type {
  ConnectionFilter,
  NewConnection,
  InsertResult,
  StoreUpdateResult,
  ConnectionStore,
  WebhookPayload,
  WebhookTransport,
  AuditEntry,
  AuditLog,
  DelegationRecord,
  DelegationStatus,
  DelegationStore,
  SourceMessage,
  RejectInfo,
  MessageSource,
} from './connections/ports.js';
export { storableIssues } from './connections/storable.js';
export { canonicalId } from './connections/ids.js';
export { MemoryConnectionStore } from './adapters/memory/connection-store.js';
export { MemoryDelegationStore } from './adapters/memory/delegation-store.js';
export { MemoryAuditLog } from './adapters/memory/audit-log.js';
export { MemoryMessageSource } from './adapters/memory/message-source.js';
export type { DeadLetter } from './adapters/memory/message-source.js';
export { silentAuditLog } from './connections/host/silent-audit-log.js';
export { UpdateHub } from './connections/host/update-hub.js';
export type { PublishedUpdate, UpdateHubOptions } from './connections/host/update-hub.js';
export { HttpWebhookTransport } from './connections/host/webhook-transport.js';
export type { HttpWebhookTransportOptions } from './connections/host/webhook-transport.js';
export type { ConnectionUpdate, ConnectionPatch, VerifyInput, SyncInput } from './connections/requests.js';
export { ConnectionService, WEBHOOK_ACTIONS } from './connections/host/service.js';
export type { ConnectionServiceOptions, ListInput, SeedResult, VerifyStarted, SyncStarted } from './connections/host/service.js';
export { CredentialDelegationService } from './connections/host/delegation-service.js';
export type { CredentialDelegationServiceOptions, CreateDelegationInput, RedeemResult } from './connections/host/delegation-service.js';
export { StatusConsumer } from './connections/host/consumer.js';
export type { StatusConsumerOptions, ConsumeOutcome, ConsumerStats } from './connections/host/consumer.js';
export type { CredentialDelegation } from './connections/mapper.js';
export { createDataSourcesHandler } from './connections/host/handler.js';
export type { DataSourcesHandlerOptions } from './connections/host/handler.js';
export { ConnectionsClient } from './connections/client.js';
export type { ConnectionsClientOptions, ListConnectionsOptions, WaitForOptions } from './connections/client.js';
export type { SeedConnectionsResult, VerifyResult, SyncResult, RemovedConnection, CreatedDelegation } from './connections/decoders.js';
export { ConnectionWatch } from './connections/watch.js';
export type { WatchOptions, WatchSkipReason, OpenEventStream } from './connections/watch.js';
