/**
 * Every jira.serviceDesk reader against arbitrary JSON answers (200 or an
 * error status): it returns a value, or throws an itsmkit error; never a
 * TypeError from a field that was not what the vendor documents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isItsmError } from '../../../src/core/errors.js';
import { JiraClient } from '../../../src/jira/client.js';
import { CREDS } from '../support.js';

const READERS: readonly [string, (jira: JiraClient) => Promise<unknown>][] = [
  ['listDesks', (j) => j.serviceDesk.listDesks()],
  ['listRequestTypes', (j) => j.serviceDesk.listRequestTypes('1')],
  ['requestTypeFields', (j) => j.serviceDesk.requestTypeFields('1', '10')],
  ['getRequest', (j) => j.serviceDesk.getRequest('ITSM-1')],
  ['createRequest', (j) => j.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'x' } }, { checkFields: false })],
  ['listStatusHistory', (j) => j.serviceDesk.listStatusHistory('ITSM-1')],
  ['addComment', (j) => j.serviceDesk.addComment('ITSM-1', { body: 'x', public: true })],
  ['listComments', (j) => j.serviceDesk.listComments('ITSM-1')],
  ['listSlas', (j) => j.serviceDesk.listSlas('ITSM-1')],
  ['listApprovals', (j) => j.serviceDesk.listApprovals('ITSM-1')],
  ['answerApproval', (j) => j.serviceDesk.answerApproval('ITSM-1', '1', 'approve')],
  ['listTransitions', (j) => j.serviceDesk.listTransitions('ITSM-1')],
];

/** JSON shaped like JSM's answers, with any value where a field should be. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({ values: fc.array(tie('record'), { maxLength: 3 }), isLastPage: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })), start: fc.jsonValue({ maxDepth: 0 }) }, { requiredKeys: [] }),
    tie('record'),
  ),
  record: fc.dictionary(
    fc.constantFrom('id', 'issueId', 'issueKey', 'name', 'status', 'statusDate', 'createdDate', 'requestFieldValues', 'requestTypeFields', 'completedCycles', 'ongoingCycle', 'approvers', 'validValues', 'epochMillis', 'iso8601', '_links', 'fieldId', 'public', 'body'),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), tie('value')),
    { maxKeys: 6 },
  ),
}));

describe('jira.serviceDesk: arbitrary answers end in a value or an itsmkit error', () => {
  it.each(READERS)('%s', async (_name, read) => {
    await fc.assert(
      fc.asyncProperty(jsonish.value, fc.constantFrom(200, 201, 400, 403, 404), async (body, status) => {
        const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: CREDS, fetch: async () => Response.json(body, { status }), retry: { retries: 0 } });
        try {
          await read(jira);
        } catch (error) {
          expect(isItsmError(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
