import { describe, expect, it } from 'vitest';
import { toHttpValidationBody } from '../../src/tickets/http-validation-body.js';

describe('toHttpValidationBody', () => {
  it('builds the 400 validation body', () => {
    expect(toHttpValidationBody([{ field: 'shortDescription', rule: 'required', message: 'Required' }])).toEqual({
      error: 'Invalid request payload',
      details: { issues: [{ path: ['shortDescription'], message: 'Required' }] },
    });
  });

  it('splits dotted fields, numbers array indexes, keeps every issue and the root', () => {
    expect(
      toHttpValidationBody(
        [
          { field: 'labels.2', rule: 'pattern', message: 'no spaces' },
          { field: '(root)', rule: 'type', message: 'must be an object' },
        ],
        'Bad ticket',
      ),
    ).toEqual({
      error: 'Bad ticket',
      details: {
        issues: [
          { path: ['labels', 2], message: 'no spaces' },
          { path: [], message: 'must be an object' },
        ],
      },
    });
  });
});
