/** The parts of a `multipart/form-data` body with one file field, around the file's bytes. */
export interface MultipartEnvelope {
  /** `multipart/form-data; boundary=...` */
  readonly contentType: string;
  /** The boundary and the part's headers, sent before the file. */
  readonly prefix: Uint8Array;
  /** The closing boundary, sent after it. */
  readonly suffix: Uint8Array;
}

/**
 * The envelope of a one-file `multipart/form-data` body, so the file can be
 * streamed between its two halves. The file name is escaped as browsers do
 * (`"` and line breaks percent-encoded) and kept in UTF-8.
 */
export function multipartEnvelope(field: string, fileName: string, contentType: string): MultipartEnvelope {
  const boundary = `----itsmkit${crypto.randomUUID().replace(/-/g, '')}`;
  const escape = (s: string) => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const encoder = new TextEncoder();
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    prefix: encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${escape(field)}"; filename="${escape(fileName)}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    suffix: encoder.encode(`\r\n--${boundary}--\r\n`),
  };
}
