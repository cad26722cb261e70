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

/**
 * Reads a `text/event-stream` body into events, per the WHATWG rules: lines
 * end in CRLF, LF or CR; `:` lines are comments; a blank line dispatches; an
 * event without data is dropped. `retry`-only blocks are still reported.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  const take = (): ServerSentEvent | undefined => {
    const out =
      data.length || retry !== undefined
        ? { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }), ...(retry === undefined ? {} : { retry }) }
        : undefined;
    data = [];
    event = '';
    retry = undefined;
    return out;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A trailing CR may be the first half of CRLF: wait for more unless the stream ended.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !done)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          const out = take();
          if (out) yield out;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
