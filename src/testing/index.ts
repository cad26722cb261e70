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

// --- connections --------------------------------------------------------------
export { FakeSyncService } from './fake-sync-service.js';
export type { FakeSyncServiceOptions } from './fake-sync-service.js';
export { createDataSourcesSandbox } from './datasources-sandbox.js';
export type { DataSourcesSandbox, DataSourcesSandboxOptions } from './datasources-sandbox.js';

// --- tickets ------------------------------------------------------------------
