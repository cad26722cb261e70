/**
 * docs/itsm-config.md: a config file in snake_case (examples/itsm_config.json,
 * seconds for times) and a config in code in camelCase (milliseconds), and
 * what each loads as. No network (in your code: `from 'itsmkit'`).
 */
import assert from 'node:assert/strict';
import { clientOptions, defineItsmConfig, loadItsmConfig, loadItsmConfigFile, type ItsmConfig } from '../src/index.js';

// 1. The file, as users write it: "$schema" gives editors completion; the loader ignores it.
const fromFile = await loadItsmConfigFile(new URL('./itsm_config.json', import.meta.url));

// 2. The same retry policy and timeouts in code: defineItsmConfig completes and checks the keys.
const inCode = loadItsmConfig(
  defineItsmConfig({
    retryPolicy: { retries: 3, factor: 2, minDelayMs: 1000, maxDelayMs: 30_000, retryOnStatus: [429, 502, 503, 504] },
    timeouts: { connectMs: 5000, readMs: 20_000, totalMs: 45_000 },
  }),
);
assert.deepEqual(inCode.retryPolicy, fromFile.retryPolicy);
assert.deepEqual(inCode.timeouts, fromFile.timeouts);

// 3. What they resolve to: every section merged over the defaults, times in milliseconds.
function summary(config: ItsmConfig) {
  return {
    retryPolicy: config.retryPolicy,
    timeouts: config.timeouts,
    incidentFields: Object.keys(config.fieldMapping.servicenow.incident),
    templates: Object.keys(config.templates),
    classification: {
      rules: config.classification.rules.map((r) => `${r.id} -> ${r.topic}`),
      categoryDefaults: config.classification.categoryDefaults.map((d) => `${d.category} -> ${d.topic}`),
      fallback: config.classification.fallback.topic,
    },
    validation: config.validation,
  };
}
console.log('from examples/itsm_config.json:', JSON.stringify(summary(fromFile), null, 2));
console.log('in code (camelCase):', JSON.stringify({ retryPolicy: inCode.retryPolicy, timeouts: inCode.timeouts }));
// What a ServiceNow or Jira client gets from it: the retry policy with the timeouts filled in.
console.log('client options:', JSON.stringify(clientOptions(fromFile)));
assert.equal(fromFile.timeouts.readMs, 20_000);
assert.ok(fromFile.templates['vpn-outage']);
