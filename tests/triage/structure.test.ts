/**
 * Structure tokens: an issue template's form fields and the shape of a report, and nothing for
 * a one-line chat message.
 */
import { describe, expect, it } from 'vitest';
import { formFields, shapeOf, structureTokens } from '../../src/triage/structure.js';

const report = [
  'Model.fit crashes with a shape error',
  '',
  '### Issue type',
  '',
  'Bug',
  '',
  '### Python version',
  '',
  '_No response_',
  '',
  '**Type:** <b>Feature</b> request',
  'Component: data loader',
  '',
  '## Steps to reproduce',
  '1. call fit',
  '```',
  'Traceback (most recent call last):',
  '  File "x.py", line 1',
  'ValueError: bad shape',
  '```',
  'Expected behavior: it trains. Is it possible to fix?',
].join('\n');

describe('structure tokens', () => {
  it('reads form fields: headings, bold labels and "Key: value" lines with their values', () => {
    expect(formFields(report)).toEqual(['issue type=bug', 'python version=no response_', 'type=b feature', 'component=data loader', 'steps to reproduce=0 call', 'valueerror=bad shape', 'expected behavior=it trains']);
  });

  it('describes the shape of a report', () => {
    expect(shapeOf(report)).toEqual(['#code', '#trace', '#more?', '#steps', '#expected', '#ask', '#medium']);
    expect(shapeOf('How do I add a filter?\nIt would be nice to filter by tag.')).toEqual(['#first-line?', '#first-line-wh', '#wish', '#ask', '#short']);
  });

  it('gives a one-line chat message no structure (its words decide)', () => {
    expect(structureTokens('where is my parcel? tracking shows nothing')).toEqual([]);
    expect(structureTokens('Export broken\n\n   ')).toEqual([]);
    expect(structureTokens(report).length).toBeGreaterThan(5);
  });

  it("reads a code fence written ''' (backticks as the labelled files and chat clean-up leave them) and bold labels with *emphasis*", () => {
    expect(shapeOf("Crash on start\n\n'''\nnpm run build\n'''")).toContain('#code');
    expect(shapeOf('Crash on start\n\nnothing else')).not.toContain('#code');
    expect(formFields('Title\n\n**Do you want to request a *feature* or report a *bug*?**\n\nFeature\n')).toEqual(['do you want to request=feature']);
  });

  it('looks at no more than maxChars', () => {
    expect(formFields(`${'x'.repeat(50)}\nIssue: late`, 20)).toEqual([]);
  });
});
