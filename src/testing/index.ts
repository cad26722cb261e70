/**
 * `itsmkit/testing`: fakes of ServiceNow, Jira and the data-sources API as
 * `(Request) => Promise<Response>` handlers, fault injection, and a loopback
 * sandbox server. The msw wiring lives in `itsmkit/testing/msw`.
 * @module itsmkit/testing
 */

// --- shared -------------------------------------------------------------------
export { handlerFetch, json, dropped, delay } from './handler.js';
export type { Handler, HandlerFetch } from './handler.js';
export { FaultInjector } from './faults.js';
export type { Fault, FaultMatch, FaultRule } from './faults.js';
export { serveHandler } from './serve.js';
export type { ServedHandler, ServeOptions } from './serve.js';
export { startSandbox } from './sandbox.js';
export type { Sandbox, SandboxOptions, SandboxService, RunningService } from './sandbox.js';

// --- servicenow ---------------------------------------------------------------
export { FakeServiceNow } from './fake-servicenow/fake-servicenow.js';
export type { FakeServiceNowOptions, FakeServiceNowUser, FakeRateLimitRule, RecordedRequest } from './fake-servicenow/fake-servicenow.js';
export { FakeTokenIssuer } from './fake-servicenow/oauth.js';
export type { FakeOAuthClient } from './fake-servicenow/oauth.js';
export { FakeStore } from './fake-servicenow/store.js';
export type { Row as FakeServiceNowRow } from './fake-servicenow/tables.js';
export { FakeServiceNowAttachments } from './fake-servicenow/attachments.js';
export { FakeAttachmentStore } from './fake-attachments.js';
export type { FakeAttachment, FakeAttachmentReceived } from './fake-attachments.js';

// --- jira ---------------------------------------------------------------------
export { FakeJira } from './fake-jira/fake-jira.js';
export type { FakeJiraOptions, RecordedJiraRequest } from './fake-jira/fake-jira.js';
export type { FakeIssue, FakeComment, FakeDirectoryUser, FakeProject, FakeStatus } from './fake-jira/store.js';
export { FakeServiceDesk } from './fake-jira/fake-service-desk.js';
export type { FakeServiceDeskHost, FakeCustomerRequest, FakeRequestComment, FakeApproval, ServiceDeskCall } from './fake-jira/fake-service-desk.js';
export type { FakeDesk, FakeRequestType, FakeRequestTypeField } from './fake-jira/service-desk-store.js';
export { parseJql, JqlError } from './fake-jira/jql.js';
export { FakeJiraAttachments } from './fake-jira/attachments.js';
export type { JiraAttachmentRequest } from './fake-jira/attachments.js';
export type { ParsedJql, JqlNode } from './fake-jira/jql.js';

// --- connections --------------------------------------------------------------
export { FakeSyncService } from './fake-sync-service.js';
export type { FakeSyncServiceOptions } from './fake-sync-service.js';
export { createDataSourcesSandbox } from './datasources-sandbox.js';
export type { DataSourcesSandbox, DataSourcesSandboxOptions } from './datasources-sandbox.js';

// --- tickets ------------------------------------------------------------------
export { createTicketsSandbox } from './tickets-sandbox.js';
export type { TicketsSandbox, TicketsSandboxOptions } from './tickets-sandbox.js';
