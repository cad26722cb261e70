/** One server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field. @default 'message' */
  readonly event: string;
  readonly data: string;
  /** The `id:` field, when the event had one. */
  readonly id?: string;
  /** The `retry:` field in ms, when the event had one. */
  readonly retry?: number;
}

/** Formats one event as `text/event-stream` text. */
export function formatServerSentEvent(event: { readonly event?: string; readonly data?: string; readonly id?: string; readonly retry?: number }): string {
  let out = '';
  if (event.id !== undefined) out += `id: ${event.id.replace(/[\r\n]/g, '')}\n`;
  if (event.event !== undefined) out += `event: ${event.event.replace(/[\r\n]/g, '')}\n`;
  if (event.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(event.retry))}\n`;
  if (event.data !== undefined) for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** Options of {@link readServerSentEvents}. */
export interface ReadServerSentEventsOptions {
  /** An event whose data, or a line, is longer (in characters) is dropped whole and reported to `onDropped`. @default 1048576 */
  readonly maxEventLength?: number;
  /** Told about each event dropped, and why. */
  readonly onDropped?: (reason: 'too_large') => void;
}

/**
 * Reads a `text/event-stream` body into events, per the WHATWG rules: lines
 * end in CRLF, LF or CR; `:` lines are comments; a blank line dispatches; an
 * event without data is dropped. `retry`-only blocks are still reported. An
 * event larger than `maxEventLength` is dropped whole (so a server that never
 * ends a line cannot fill memory) and reported to `onDropped`.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>, options: ReadServerSentEventsOptions = {}): AsyncGenerator<ServerSentEvent> {
  const max = options.maxEventLength ?? 1024 * 1024;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let size = 0;
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  /** The current event grew past `max`: its fields are skipped until the blank line that ends it. */
  let tooLarge = false;
  /** The current line grew past `max`: the rest of it is skipped. */
  let skippingLine = false;
  const take = (): ServerSentEvent | undefined => {
    const out =
      !tooLarge && (data.length || retry !== undefined)
        ? { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }), ...(retry === undefined ? {} : { retry }) }
        : undefined;
    if (tooLarge) options.onDropped?.('too_large');
    data = [];
    size = 0;
    event = '';
    retry = undefined;
    tooLarge = false;
    return out;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A trailing CR may be the first half of CRLF: wait for more unless the stream ended.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !done)) {
          if (buffer.length > max) {
            // A line longer than any event may be: drop what came so far and the rest of the line.
            buffer = buffer.endsWith('\r') ? '\r' : '';
            skippingLine = true;
            tooLarge = true;
          }
          break;
        }
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (skippingLine) {
          skippingLine = false;
          continue;
        }
        if (line === '') {
          const out = take();
          if (out) yield out;
          continue;
        }
        if (line.startsWith(':') || tooLarge) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') {
          size += value.length + 1;
          if (size > max) tooLarge = true;
          else data.push(value);
        } else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
      if (done) {
        if (tooLarge) options.onDropped?.('too_large');
        return;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
