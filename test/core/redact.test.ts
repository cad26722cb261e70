import { describe, expect, it } from 'vitest';
import { encodeSegment, path } from '../../src/core/path.js';
import { REDACTED, redactHeaders, redactUrl, redactValue, scrubSecrets } from '../../src/core/redact.js';
import { isConfigError } from '../../src/core/errors.js';

describe('redaction', () => {
  it('removes userinfo and secret query values from URLs', () => {
    const out = redactUrl('https://u:canary-pass@x.service-now.com/oauth_token.do?client_secret=canary&sysparm_limit=5&access_token=canary2');
    expect(out).not.toContain('canary');
    expect(out).toContain('sysparm_limit=5');
    expect(out).toContain(encodeURIComponent(REDACTED));
  });
  it('redacts secret headers', () => {
    expect(redactHeaders({ Authorization: 'Basic abc', 'x-sn-apikey': 'k', accept: 'application/json' })).toEqual({
      authorization: REDACTED,
      'x-sn-apikey': REDACTED,
      accept: 'application/json',
    });
  });
  it('redacts secret keys deep in a payload without touching the input', () => {
    const input = { config: { url: 'https://c' }, credentials: { password: 'p' }, nested: [{ apiKey: 'k', name: 'n' }] };
    expect(redactValue(input)).toEqual({ config: { url: 'https://c' }, credentials: REDACTED, nested: [{ apiKey: REDACTED, name: 'n' }] });
    expect(input.credentials.password).toBe('p');
  });
  it('scrubs known secret values from text', () => {
    expect(scrubSecrets('token canary-123 echoed', ['canary-123'])).toBe(`token ${REDACTED} echoed`);
  });
});

describe('path', () => {
  it('encodes every segment', () => {
    expect(path`/api/now/table/${'incident'}/${'a/b?c'}`).toBe('/api/now/table/incident/a%2Fb%3Fc');
  });
  it.each(['', '.', '..', undefined, null, {}])('rejects %p', (value) => {
    expect(() => encodeSegment(value, 'sysId')).toThrow(/sysId/);
    try {
      encodeSegment(value, 'sysId');
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
    }
  });
});
