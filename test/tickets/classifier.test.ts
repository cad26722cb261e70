import { describe, expect, it } from 'vitest';
import { compileClassifier } from '../../src/tickets/classifier.js';
import type { ClassificationConfig } from '../../src/tickets/config-schema.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';

const GWS = 'Google Workspace – Account Access';
const seed = compileClassifier(DEFAULT_ITSM_CONFIG.classification);

describe('default rules', () => {
  it('classifies the example support request as Google Workspace Account Access', () => {
    const result = seed.classify({
      client: 'Archer Insurance',
      category: GWS,
      errorCode: '500',
      shortDescription: 'Cannot log into Google Workspace account',
      detailedDescription: 'User reports being unable to access their account after password reset.',
    });
    expect(result).toMatchObject({
      topic: 'Google Workspace Account Access',
      ruleId: 'gws-account-access',
      outcome: 'rule',
      matched: { errorCodes: ['500'], keywords: [] },
      runnersUp: ['gws-password-reset'],
    });
    expect(result.resources).toEqual([
      { type: 'doc', label: 'Google Workspace Account Access Troubleshooting', url: 'https://support.google.com/a/answer/1728857' },
    ]);
    expect(result.reason).toBe(
      'Rule "gws-account-access" matched error code 500; it beat 1 other matching rule (next: "gws-password-reset") by matching the error code.',
    );
  });

  it.each([
    [GWS, 'Forgot password', 'gws-password-reset', 'Google Workspace Password Reset'],
    [GWS, 'No verification code arrives on my phone', 'gws-two-step-verification', 'Google Workspace 2-Step Verification'],
    [GWS, 'Account suspended', 'gws-account-access', 'Google Workspace Account Access'],
    ['Google Workspace – Email', 'Messages bounced back', 'gws-email-delivery', 'Gmail Delivery Issues'],
    ['Microsoft 365 – Outlook', 'Calendar does not sync', 'm365-outlook', 'Outlook Mail and Calendar'],
    ['Network – VPN', 'VPN disconnects every hour', 'network-vpn', 'VPN Connectivity'],
    ['Hardware – Printer', 'Paper jam on floor 2', 'hardware-printer', 'Printer Troubleshooting'],
    ['Anything', 'I got a phishing message', 'security-phishing', 'Suspected Phishing'],
  ])('%s / "%s" -> %s', (category, shortDescription, ruleId, topic) => {
    const result = seed.classify({ category, shortDescription });
    expect(result.ruleId).toBe(ruleId);
    expect(result.topic).toBe(topic);
    expect(result.resources.length).toBeGreaterThan(0);
  });

  it('matches error codes alone', () => {
    expect(seed.classify({ category: 'Network – VPN', shortDescription: 'It broke', errorCode: ' 809 ' })).toMatchObject({
      ruleId: 'network-vpn',
      matched: { errorCodes: ['809'], keywords: [] },
    });
  });

  it('falls back to the category default, then to Unclassified / Manual Review', () => {
    expect(seed.classify({ category: GWS, shortDescription: 'Something odd' })).toMatchObject({
      topic: 'Google Workspace Account Access',
      ruleId: null,
      outcome: 'categoryDefault',
      matched: { errorCodes: [], keywords: [] },
      reason: `No rule matched; "${GWS}" defaults to "Google Workspace Account Access".`,
    });
    expect(seed.classify({ category: 'Facilities', shortDescription: 'Broken chair', errorCode: '500' })).toEqual({
      topic: 'Unclassified / Manual Review',
      resources: [],
      ruleId: null,
      outcome: 'fallback',
      matched: { errorCodes: [], keywords: [] },
      reason: 'No rule matched and category "Facilities" has no default.',
      runnersUp: [],
    });
  });

  it('only applies rules of the request category', () => {
    // "password" is a Google Workspace keyword; under VPN it does not count.
    expect(seed.classify({ category: 'Network – VPN', shortDescription: 'password reset' }).outcome).toBe('fallback');
  });

  it('ignores case, dash style and spacing in categories and case in text', () => {
    expect(seed.classify({ category: '  google workspace - ACCOUNT   access ', shortDescription: 'FORGOT PASSWORD' }).ruleId).toBe('gws-password-reset');
  });
});

const rule = (id: string, extra: Partial<ClassificationConfig['rules'][number]>) => ({ id, topic: `topic ${id}`, recommendedResources: [], ...extra });

describe('winner precedence (documented on compileClassifier)', () => {
  const classifier = compileClassifier({
    rules: [
      rule('keywords-3', { category: 'C', matchKeywords: ['alpha', 'beta', 'gamma'] }),
      rule('keywords-2', { category: 'C', matchKeywords: ['alpha', 'beta'] }),
      rule('code', { category: 'C', matchKeywords: ['alpha'], matchErrorCodes: ['E1'] }),
      rule('any-category', { matchKeywords: ['delta', 'epsilon'] }),
      rule('specific', { category: 'C', matchKeywords: ['delta', 'epsilon'] }),
      rule('first', { category: 'C', matchKeywords: ['zeta'] }),
      rule('second', { category: 'C', matchKeywords: ['zeta'] }),
      rule('phrase', { category: 'C', matchKeywords: ['log in', 'log'] }),
    ],
    categoryDefaults: [],
    fallback: { topic: 'none', recommendedResources: [] },
  });

  it('1. an error-code match beats any keyword count', () => {
    const r = classifier.classify({ category: 'C', shortDescription: 'alpha beta gamma', errorCode: 'e1' });
    expect(r.ruleId).toBe('code');
    expect(r.runnersUp).toEqual(['keywords-3', 'keywords-2']);
    expect(r.reason).toContain('by matching the error code');
  });

  it('2. more keywords beat fewer', () => {
    const r = classifier.classify({ category: 'C', shortDescription: 'alpha beta', detailedDescription: 'and gamma' });
    expect(r).toMatchObject({ ruleId: 'keywords-3', matched: { keywords: ['alpha', 'beta', 'gamma'] } });
    expect(r.reason).toBe(
      'Rule "keywords-3" matched keywords "alpha", "beta", "gamma"; it beat 2 other matching rules (next: "keywords-2") by matching more keywords.',
    );
  });

  it('3. a rule for the category beats a rule for every category', () => {
    const r = classifier.classify({ category: 'C', shortDescription: 'delta epsilon' });
    expect(r.ruleId).toBe('specific');
    expect(r.reason).toContain('by being specific to the category');
    expect(classifier.classify({ category: 'Other', shortDescription: 'delta epsilon' }).ruleId).toBe('any-category');
  });

  it('4. then the rule listed first', () => {
    const r = classifier.classify({ category: 'C', shortDescription: 'zeta' });
    expect(r.ruleId).toBe('first');
    expect(r.reason).toContain('by being listed first');
  });

  it('matches keywords as whole words and phrases, counting each once', () => {
    expect(classifier.classify({ category: 'C', shortDescription: 'alphabet' }).outcome).toBe('fallback');
    expect(classifier.classify({ category: 'C', shortDescription: 'Cannot log-in, log in, log' })).toMatchObject({
      ruleId: 'phrase',
      matched: { keywords: ['log in', 'log'] },
      reason: 'Rule "phrase" matched keywords "log in", "log"; it was the only matching rule.',
    });
  });

  it('scales to hundreds of rules with the same answer', () => {
    const many = compileClassifier({
      rules: Array.from({ length: 500 }, (_, i) => rule(`r${i}`, { category: `cat${i % 10}`, matchKeywords: [`word${i}`, `shared${i % 7}`], matchErrorCodes: [`E${i}`] })),
      categoryDefaults: [],
      fallback: { topic: 'none', recommendedResources: [] },
    });
    expect(many.classify({ category: 'cat3', shortDescription: 'word3 and word13 and shared6', errorCode: 'E13' })).toMatchObject({
      ruleId: 'r13',
      matched: { errorCodes: ['E13'], keywords: ['word13', 'shared6'] },
    });
    expect(many.classify({ category: 'cat3', shortDescription: 'no match here' }).outcome).toBe('fallback');
  });
});
