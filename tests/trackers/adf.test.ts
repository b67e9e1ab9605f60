/** Markdown-ish → Atlassian Document Format (Jira Cloud bodies) and back to text. */
import { describe, expect, it } from 'vitest';
import { adfToText, markdownToAdf } from '../../src/trackers/adf.js';

const text = (t: string) => ({ type: 'text', text: t });

describe('markdownToAdf', () => {
  it('turns headings, paragraphs with line breaks, lists, quotes and code into ADF nodes', () => {
    const doc = markdownToAdf('# Title\nline one\nline two\n\n- a\n* b\n\n1. first\n2) second\n\n> quoted **bit**\n\n```\nraw `x` [y](https://z)\n\n```');
    expect(doc).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('Title')] },
        { type: 'paragraph', content: [text('line one'), { type: 'hardBreak' }, text('line two')] },
        { type: 'bulletList', content: ['a', 'b'].map((t) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(t)] }] })) },
        { type: 'orderedList', content: ['first', 'second'].map((t) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(t)] }] })) },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [text('quoted '), { type: 'text', text: 'bit', marks: [{ type: 'strong' }] }] }] },
        // Inside a code block nothing is markdown: kept verbatim, blank line included.
        { type: 'codeBlock', content: [text('raw `x` [y](https://z)\n')] },
      ],
    });
  });

  it('marks links, bare URLs (without trailing punctuation), bold and inline code', () => {
    const [p] = markdownToAdf('See [the thread](https://chat.example/a?b=1), https://x.example/y. Run `npm ci` **now**').content;
    expect(p!.content).toEqual([
      text('See '),
      { type: 'text', text: 'the thread', marks: [{ type: 'link', attrs: { href: 'https://chat.example/a?b=1' } }] },
      text(', '),
      { type: 'text', text: 'https://x.example/y', marks: [{ type: 'link', attrs: { href: 'https://x.example/y' } }] },
      text('. Run '),
      { type: 'text', text: 'npm ci', marks: [{ type: 'code' }] },
      text(' '),
      { type: 'text', text: 'now', marks: [{ type: 'strong' }] },
    ]);
  });

  it('keeps text it does not understand, never emits empty text nodes, and handles an unclosed fence', () => {
    const doc = markdownToAdf('a | b | c\n#not-a-heading\n\n```sh\necho hi');
    expect(doc.content[0]).toEqual({ type: 'paragraph', content: [text('a | b | c'), { type: 'hardBreak' }, text('#not-a-heading')] });
    expect(doc.content[1]).toEqual({ type: 'codeBlock', attrs: { language: 'sh' }, content: [text('echo hi')] });
    expect(markdownToAdf('')).toEqual({ type: 'doc', version: 1, content: [] });
    expect(JSON.stringify(markdownToAdf('**a**``\n\n\n'))).not.toContain('"text":""');
  });

  it('round-trips to readable text', () => {
    const md = '## Steps\n- open cart\n- pay\n\nError: `boom`';
    expect(adfToText(markdownToAdf(md))).toBe('Steps\n\n- open cart\n- pay\n\nError: boom');
    expect(adfToText('plain string body')).toBe('plain string body');
  });
});
