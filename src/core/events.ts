import { EventEmitter } from 'eventemitter3';
import type { ItsmError, Platform, RateLimitInfo, RetryMetadata } from './errors.js';
import type { DuplicateEvent } from './keyed-create.js';

/** Emitted before each attempt is sent. */
export interface RequestEvent {
  readonly platform: Platform;
  readonly method: string;
  /** Redacted URL. */
  readonly url: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Caller-supplied tag naming the operation (`incident.create`), when there is one. */
  readonly operation: string | undefined;
}

/** Emitted for every response received, success or not. */
export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string | undefined;
}

/** Emitted when an attempt failed and another one will be made after `delayMs`. */
export interface RetryEvent extends RequestEvent {
  readonly delayMs: number;
  /** Why the attempt failed, e.g. `status 503`, `network`, `timeout`. */
  readonly reason: string;
  readonly status: number | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
}

/** Emitted once when a call fails for good. */
export interface ErrorEvent {
  readonly platform: Platform;
  readonly method: string;
  readonly url: string;
  readonly operation: string | undefined;
  readonly error: ItsmError;
  readonly retry: RetryMetadata;
}

/** The typed event map every client exposes on `.events`. */
export interface TransportEvents {
  request: [RequestEvent];
  response: [ResponseEvent];
  retry: [RetryEvent];
  error: [ErrorEvent];
  /** A lookup by correlation key found more than one ticket. */
  duplicate: [DuplicateEvent];
}

/** A typed event emitter (eventemitter3): the one event mechanism in the SDK. */
export type Emitter<Events extends object> = EventEmitter<Events>;

/** Creates a typed emitter for an event map. */
export function createEmitter<Events extends object>(): Emitter<Events> {
  return new EventEmitter<Events>();
}
