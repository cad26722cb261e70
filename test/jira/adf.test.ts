import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../src/core/errors.js';
import { type AdfNode, adfToText, assertAdf, textToAdf, validateAdf } from '../../src/jira/adf.js';

function textNodes(nodes: readonly AdfNode[]): AdfNode[] {
  return nodes.flatMap((n) => (n.type === 'text' ? [n] : textNodes(n.content ?? [])));
}

describe('textToAdf', () => {
  it('makes paragraphs on blank lines and hard breaks on single newlines', () => {
    expect(textToAdf('First line\nsecond line\n\nNext paragraph')).toEqual({
      version: 1,
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'First line' }, { type: 'hardBreak' }, { type: 'text', text: 'second line' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Next paragraph' }] },
      ],
    });
  });

  it('builds bullet and numbered lists, code blocks, links and mentions', () => {
    const doc = textToAdf('Steps:\n- restart [~accountid:abc-123]\n* see https://status.example.com/x.\n\n3. one\n4. two\n```sh\nkubectl get pods\n\n```');
    expect(doc.content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Steps:' }] },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'restart ' }, { type: 'mention', attrs: { id: 'abc-123' } }] }] },
          {
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'see ' },
                  { type: 'text', text: 'https://status.example.com/x', marks: [{ type: 'link', attrs: { href: 'https://status.example.com/x' } }] },
                  { type: 'text', text: '.' },
                ],
              },
            ],
          },
        ],
      },
      {
        type: 'orderedList',
        attrs: { order: 3 },
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'sh' }, content: [{ type: 'text', text: 'kubectl get pods\n' }] },
    ]);
  });

  it('gives an empty document for empty text and never emits empty text nodes', () => {
    expect(textToAdf('')).toEqual({ version: 1, type: 'doc', content: [] });
    expect(textToAdf('\n\n\n')).toEqual({ version: 1, type: 'doc', content: [] });
    expect(textToAdf('```\n```').content).toEqual([{ type: 'codeBlock', content: [] }]);
  });

  it('never throws, never emits an empty text node, always produces valid ADF (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', '\n', '\r', '-', '*', '1', '.', ')', '`', '[', ']', '~', 'accountid:', 'https://', 'x.io', '"', '\t', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')), (text) => {
        const doc = textToAdf(text);
        expect(textNodes(doc.content).every((n) => typeof n.text === 'string' && n.text.length > 0)).toBe(true);
        expect(validateAdf(doc)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('round trips: text -> ADF -> text is a fixed point after one pass (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', '\n', '-', '*', '1', '.', '```', '[~accountid:u1]', 'https://x.io/p', '\t', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        const once = adfToText(textToAdf(text));
        expect(adfToText(textToAdf(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back what it wrote for ordinary text', () => {
    const text = 'Disk full on db-1\nsince 02:00\n\n- free space\n- rotate logs, see https://wiki.example.com/runbook\n\n1. page [~accountid:oncall-1]\n2. wait\n\n```\ndf -h\n```';
    expect(adfToText(textToAdf(text))).toBe(text);
  });
});

describe('adfToText', () => {
  it('degrades unknown nodes to their text and reads common extras', () => {
    const doc = {
      version: 1,
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] },
        { type: 'panel', attrs: { panelType: 'info' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'in a panel' }, { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } }] }] },
        { type: 'futureNode', content: [{ type: 'text', text: 'future' }, { type: 'mysteryInline', text: ' text' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'docs', marks: [{ type: 'link', attrs: { href: 'https://d.example' } }] }, { type: 'inlineCard', attrs: { url: 'https://card' } }] },
        { type: 'rule' },
      ],
    };
    expect(adfToText(doc)).toBe('Title\n\nin a panel😄\n\nfuture text\n\ndocs (https://d.example)https://card\n\n---');
  });

  it('never throws on malformed input: it degrades to what can be read', () => {
    expect(adfToText(null)).toBe('');
    expect(adfToText(42)).toBe('');
    expect(adfToText('wiki *markup* from Data Center')).toBe('wiki *markup* from Data Center');
    expect(adfToText({ type: 'doc' })).toBe('');
    expect(adfToText({ type: 'doc', content: 'nope' })).toBe('');
    expect(adfToText({ type: 'doc', content: [null, 3, { type: 'paragraph', content: [{ type: 'text', text: 7 }, { type: 'text', text: 'ok' }] }] })).toBe('ok');
    fc.assert(fc.property(fc.jsonValue(), (value) => typeof adfToText(value) === 'string'), { numRuns: 300 });
  });
});

describe('validateAdf / assertAdf', () => {
  it('names every problem by path', () => {
    const issues = validateAdf({ version: 2, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }, {}] }, { type: 'x', content: {} }] }, 'description');
    expect(issues.map((i) => i.field)).toEqual([
      'description.version',
      'description.content[0].content[0].text',
      'description.content[0].content[1]',
      'description.content[1].content',
    ]);
  });

  it('throws a ValidationError for malformed ADF', () => {
    let error: unknown;
    try {
      assertAdf('not adf', 'body');
    } catch (e) {
      error = e;
    }
    expect(isValidationError(error)).toBe(true);
    expect((error as { issues: unknown[] }).issues).toEqual([{ field: 'body', rule: 'type', message: expect.stringContaining('ADF document') }]);
  });
});

describe('ADF nested too deep or cyclic', () => {
  let deep: Record<string, unknown> = { type: 'text', text: 'x' };
  for (let i = 0; i < 5_000; i++) deep = { type: 'paragraph', content: [deep] };
  const doc = { type: 'doc', version: 1, content: [deep] };

  it('validateAdf reports a depth issue instead of overflowing the stack, for a deep and a cyclic document', () => {
    expect(validateAdf(doc, 'description').map((i) => i.rule)).toEqual(['depth']);
    const cyclic: Record<string, unknown> = { type: 'doc', version: 1, content: [] };
    (cyclic['content'] as unknown[]).push({ type: 'paragraph', content: cyclic['content'] });
    expect(validateAdf(cyclic, 'description').map((i) => i.rule)).toEqual(['depth']);
  });

  it('adfToText shows a note for a server document too deep to walk', () => {
    expect(adfToText(doc)).toBe('[document nested too deeply to show as text]');
  });
});

describe('regression (fuzz): getters and Proxy traps that throw', () => {
  const trapped = () => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [Object.defineProperty({ type: 'text' }, 'text', { get: () => { throw new Error('trap'); }, enumerable: true })] }] });

  it('validateAdf reports the unreadable node at its path', () => {
    expect(validateAdf(trapped(), 'description')).toEqual([{ field: 'description.content[0].content[0].text', rule: 'unreadable', message: expect.stringContaining('trap') }]);
    expect(() => assertAdf(trapped())).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('adfToText reads it as a note instead of throwing', () => {
    expect(adfToText(trapped())).toBe('[document that cannot be read as text]');
    expect(adfToText(new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }))).toBe('[document that cannot be read as text]');
  });
});
