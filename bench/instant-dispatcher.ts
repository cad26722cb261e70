import { Dispatcher } from 'undici';

/**
 * An undici dispatcher that answers every request at once with the same
 * status and body, in process: what the SDK costs per call with the network
 * taken out.
 */
export class InstantDispatcher extends Dispatcher {
  private readonly body: Buffer;

  constructor(
    private readonly status: number,
    body: string,
  ) {
    super();
    this.body = Buffer.from(body);
  }

  override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const controller: Dispatcher.DispatchController = { aborted: false, paused: false, reason: null, abort() {}, pause() {}, resume() {} };
    queueMicrotask(() => {
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, this.status, { 'content-type': 'application/json' }, 'OK');
      handler.onResponseData?.(controller, this.body);
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }
}
