/**
 * `itsmkit/testing`: fakes of ServiceNow, Jira and the data-sources API as
 * `(Request) => Promise<Response>` handlers, fault injection, and a loopback
 * sandbox server. The msw wiring lives in `itsmkit/testing/msw`.
 * @packageDocumentation
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

// --- jira ---------------------------------------------------------------------
export { FakeJira } from './fake-jira/fake-jira.js';
export type { FakeJiraOptions, RecordedJiraRequest } from './fake-jira/fake-jira.js';
export type { FakeIssue, FakeComment, FakeProject, FakeStatus } from './fake-jira/store.js';
export { parseJql, JqlError } from './fake-jira/jql.js';
export type { ParsedJql, JqlNode } from './fake-jira/jql.js';

// --- connections --------------------------------------------------------------

// --- tickets ------------------------------------------------------------------
