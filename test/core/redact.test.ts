import { describe, expect, it } from 'vitest';
import { encodeSegment, path } from '../../src/core/path.js';
import { REDACTED, redactHeaders, redactUrl, redactValue, scrubHeaders, scrubSecrets, secretForms } from '../../src/core/redact.js';
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

describe('secrets in every encoding', () => {
  const secret = 'cNrY7/p@s+w0rd=9&Z% x';

  it('scrubs a secret raw, URL-encoded (either escape case), form-encoded, JSON-escaped and in base64', () => {
    const echoes = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const echo of echoes) expect(scrubSecrets(`error_description=client_secret ${echo} is wrong`, [secret])).toBe(`error_description=client_secret ${REDACTED} is wrong`);
    expect(secretForms(secret)).toContain(encodeURIComponent(secret));
  });

  it('scrubs every header value copied onto an error (a WWW-Authenticate echo) and drops secret-named ones', () => {
    expect(scrubHeaders({ 'www-authenticate': `Bearer error="${encodeURIComponent(secret)}"`, 'x-api-key': 'k', 'content-type': 'text/plain' }, [secret])).toEqual({
      'www-authenticate': `Bearer error="${REDACTED}"`,
      'x-api-key': REDACTED,
      'content-type': 'text/plain',
    });
  });

  it('redacts the values of secret-looking fields inside a ServiceNow encoded query and a JQL text', () => {
    const url = new URL('https://acme.service-now.com/api/now/table/incident');
    url.searchParams.set('sysparm_query', 'active=true^u_api_token=abc123^ORpassword!=x^short_descriptionLIKEvpn^u_secretLIKEabc');
    const redacted = new URL(redactUrl(url)).searchParams.get('sysparm_query');
    expect(redacted).toBe(`active=true^u_api_token=${REDACTED}^ORpassword!=${REDACTED}^short_descriptionLIKEvpn^u_secretLIKE${REDACTED}`);
    const jira = new URL('https://acme.atlassian.net/rest/api/3/search');
    jira.searchParams.set('jql', 'project = OPS AND secret_field ~ "abc" AND summary ~ vpn');
    expect(new URL(redactUrl(jira)).searchParams.get('jql')).toBe(`project = OPS AND secret_field ~ ${REDACTED} AND summary ~ vpn`);
  });
});

describe('regression (fuzz): path segments with a lone surrogate', () => {
  it('are a ConfigError naming the segment, not a URIError', () => {
    expect(() => encodeSegment('a\ud800b', 'sysId')).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: 'sysId', rule: 'unicode' })] }));
    expect(() => path`/api/${'\udc00'}`).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(encodeSegment('\u{1F4A5}')).toBe('%F0%9F%92%A5');
  });
});
