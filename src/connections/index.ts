// What src/connections offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export { SOURCE_METADATA, isValidDataSourceType } from './catalog.js';
export type { DataSourceType, ItsmSystemType } from './catalog.js';
export { ConnectionsClient } from './client.js';
export type {
  Actor,
  ConnectionOptions,
  ConnectionRecord,
  ConnectionState,
  ConnectionStatus,
  DataSourceConnection,
  DataSourceUpdate,
  LastSyncStatus,
  MessageClock,
} from './connection.js';
export { StatusConsumer } from './host/consumer.js';
export { CredentialDelegationService } from './host/delegation-service.js';
export { createDataSourcesHandler } from './host/handler.js';
export { ConnectionService, WEBHOOK_ACTIONS } from './host/service.js';
export { HttpWebhookTransport } from './host/webhook-transport.js';
export { canonicalId, isUuid } from './ids.js';
export type {
  AuditEntry,
  AuditLog,
  ConnectionFilter,
  ConnectionStore,
  DelegationRecord,
  DelegationStatus,
  DelegationStore,
  InsertResult,
  MessageSource,
  NewConnection,
  RejectInfo,
  SourceMessage,
  StoreUpdateResult,
} from './ports.js';
export type { VerifyInput } from './requests.js';
