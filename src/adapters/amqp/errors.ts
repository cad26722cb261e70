import { hasErrorKind, ItsmError, redactUrl } from '../../core/index.js';

/** What kind of broker failure it was. */
export type BrokerErrorCode =
  /** The broker could not be reached, or the connection or channel closed. */
  | 'unavailable'
  /** A queue or exchange exists with other settings (RabbitMQ `PRECONDITION_FAILED`). */
  | 'topology'
  /** The queue a passive topology expects does not exist (RabbitMQ `NOT_FOUND`). */
  | 'queue_not_found'
  /** The broker refused access to a queue (RabbitMQ `ACCESS_REFUSED`, or `RESOURCE_LOCKED` for another connection's exclusive queue). */
  | 'refused'
  /** The broker did not confirm a publish. */
  | 'publish_failed';

/** Fields a {@link BrokerError} is built from. */
export interface BrokerErrorInit {
  readonly code: BrokerErrorCode;
  /** The broker URL, credentials removed. */
  readonly url: string;
  readonly cause?: unknown;
}

/** A RabbitMQ operation failed. The URL on it and in its message never carries the password. */
export class BrokerError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'BrokerError';

  readonly code: BrokerErrorCode;
  readonly url: string;
  readonly transient: boolean;

  constructor(message: string, init: BrokerErrorInit) {
    super(message, init.cause === undefined ? {} : { cause: init.cause });
    this.code = init.code;
    this.url = init.url;
    this.transient = init.code === 'unavailable';
  }
}

/** True for {@link BrokerError} (works across duplicate installs). */
export const isBrokerError = (e: unknown): e is BrokerError => hasErrorKind(e, 'BrokerError');

/** Wraps an amqplib failure in a {@link BrokerError} that names the redacted URL. */
export function toBrokerError(error: unknown, what: string, url: string, code?: BrokerErrorCode): BrokerError {
  if (error instanceof BrokerError) return error;
  const safeUrl = redactUrl(url);
  const raw = error instanceof Error ? error.message : String(error);
  const kind = code ?? (/PRECONDITION_FAILED|406/.test(raw) ? 'topology' : 'unavailable');
  // Driver messages can quote the URL they were given: scrub it before it reaches ours.
  const detail = raw.split(url).join(safeUrl).replace(/(amqps?:\/\/)[^/@\s]*@/gi, '$1[REDACTED]@');
  return new BrokerError(`RabbitMQ ${what} failed (${safeUrl}): ${detail}`, { code: kind, url: safeUrl, cause: error });
}
