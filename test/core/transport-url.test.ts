import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/core/events.js';
import { redactUrl } from '../../src/core/redact.js';
import { Transport, type QueryValue } from '../../src/core/transport.js';

/** What the URL parser makes of a path under a base, with the query set key by key. */
function parsed(baseUrl: string, path: string, query: Record<string, QueryValue>): URL {
  const base = new URL(baseUrl);
  const left = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const url = new URL(`${left}${path.startsWith('/') ? '' : '/'}${path}`, base);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url;
}

// Plain characters and the ones the parser encodes or normalises (dots, %2e, spaces, non-ASCII, '?', '#', '\').
const pathChar = fc.constantFrom('a', 'Z', '9', '-', '_', '~', '.', '%', '%2e', '%2E', '%41', ' ', 'é', '?', '#', '\\', '"', '{', ':', '@', '!', '$', '&', "'", '(', '*', '+', ',', ';', '=');
const plainChar = fc.constantFrom('a', 'Z', '9', '-', '_', '~', '.', '%41', ':', '@', '!', '$', '&', "'", '(', '*', '+', ',', ';', '=');
const pathOf = (char: fc.Arbitrary<string>) =>
  fc.array(fc.array(char, { maxLength: 5 }).map((chars) => chars.join('')), { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const path = fc.oneof(pathOf(plainChar), pathOf(pathChar));
const query = fc.dictionary(
  fc.constantFrom('sysparm_limit', 'jql', 'token', 'fields', 'a b', 'é'),
  fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null)),
);

describe('Transport request URLs', () => {
  it('match what the URL parser makes of the base URL, path and query, and the redacted form too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('https://acme.example.com', 'https://acme.example.com/', 'http://127.0.0.1:8080/jira/', 'https://h.example/base'), path, query, async (baseUrl, p, q) => {
        const sent: string[] = [];
        const transport = new Transport({
          baseUrl,
          platform: 'servicenow',
          fetch: async (input) => {
            sent.push(String(input));
            return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
          },
        });
        const events: RequestEvent[] = [];
        transport.events.on('request', (e) => events.push(e));
        let expected: URL;
        try {
          expected = parsed(baseUrl, p, q);
        } catch (error) {
          // A path the parser rejects (`//` reads as a host) fails the same way, before anything is sent.
          await expect(transport.request({ method: 'GET', path: p, query: q })).rejects.toThrow((error as Error).message);
          expect(sent).toEqual([]);
          return;
        }
        await transport.request({ method: 'GET', path: p, query: q });
        expect(sent).toEqual([expected.href]);
        expect(events.map((e) => e.url)).toEqual([redactUrl(expected)]);
      }),
      { numRuns: 300 },
    );
  });
});
