import { describe, expect, it } from 'vitest';
import { OptionNames } from '../../src/cli/option-names.js';
import { resolveSettings, type Setting } from '../../src/cli/settings.js';

const URL_SETTING: Setting = { key: 'jira.url', flag: '--url <url>', env: 'ITSMKIT_JIRA_URL', description: 'site URL' };
const CA: Setting = { key: 'jira.caFile', flag: '--ca-file <path>', env: 'ITSMKIT_JIRA_CA_FILE', description: 'CA' };
const TOKEN: Setting = { key: 'jira.token', flag: '--token <token>', env: 'ITSMKIT_JIRA_TOKEN', description: 'token', secret: true };

function names(): OptionNames {
  const resolved = resolveSettings([URL_SETTING, CA, TOKEN], { url: 'https://jira.example.com' }, { ITSMKIT_JIRA_TOKEN: 'pat' }, undefined);
  const n = new OptionNames();
  n.add({ baseUrl: URL_SETTING, 'http.tls.ca': CA, token: TOKEN }, resolved);
  return n;
}

describe('OptionNames', () => {
  it('replaces option names by the CLI setting and where its value came from, or every way to set it', () => {
    expect(names().translate('check the host and port of baseUrl, and that the service is running')).toBe(
      'check the host and port of jira.url (from flag --url), and that the service is running',
    );
    expect(names().translate('for a private CA, pass its certificate as http.tls.ca')).toBe(
      'for a private CA, pass its certificate as --ca-file, ITSMKIT_JIRA_CA_FILE or "jira.caFile" in the config file',
    );
  });

  it('replaces whole names only, and never a plain word', () => {
    const text = 'check http.tls.cert and http.tls.key; baseUrls and my.baseUrl stay; the token expired';
    expect(names().translate(text)).toBe(text);
  });

  it('gives the setting of an option for --json, with null as the source of one not set', () => {
    expect(names().setting('baseUrl')).toEqual({ key: 'jira.url', flag: '--url', env: 'ITSMKIT_JIRA_URL', source: 'flag --url' });
    expect(names().setting('http.tls.ca')).toEqual({ key: 'jira.caFile', flag: '--ca-file', env: 'ITSMKIT_JIRA_CA_FILE', source: null });
    expect(names().setting('http.proxy')).toBeUndefined();
  });
});
