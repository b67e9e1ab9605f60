import { describe, expect, it } from 'vitest';
import { plain, toPlainText, tokenize } from '../../src/ports/message-view.js';
import { truncate } from '../../src/util/text.js';

describe('neutral markdown', () => {
  it('tokenises bold, italic, code, links and mentions', () => {
    expect(tokenize('**T-1** is _urgent_: see [the runbook](https://ex.com/rb) `code` <@U1>')).toEqual([
      { t: 'bold', v: 'T-1' },
      { t: 'text', v: ' is ' },
      { t: 'italic', v: 'urgent' },
      { t: 'text', v: ': see ' },
      { t: 'link', v: 'the runbook', url: 'https://ex.com/rb' },
      { t: 'text', v: ' ' },
      { t: 'code', v: 'code' },
      { t: 'text', v: ' ' },
      { t: 'mention', id: 'U1' },
    ]);
  });

  it('keeps person-typed text literal after plain()', () => {
    const evil = '**free** [click](https://evil.example) <@U_ADMIN> snake_case_name';
    const toks = tokenize(`Customer said: ${plain(evil)}`);
    expect(toks).toEqual([{ t: 'text', v: `Customer said: ${evil}` }]);
  });

  it('does not treat underscores inside words as italics', () => {
    expect(tokenize('feature_request_x')).toEqual([{ t: 'text', v: 'feature_request_x' }]);
  });

  it('flattens to plain text and truncates with a marker', () => {
    expect(toPlainText('**Hi** <@U1>, see [docs](https://d.example)', (id) => (id === 'U1' ? 'ana' : id))).toBe('Hi @ana, see docs (https://d.example)');
    expect(truncate('abcdefghij', 8, '…')).toBe('abcdefg…');
    expect(truncate('short', 8)).toBe('short');
  });
});
