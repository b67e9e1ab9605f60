/** Markdown answer files: ids, titles, front matter, `##` sections, and errors that name the file. */
import { describe, expect, it } from 'vitest';
import { KnowledgeFileInvalidError, parseAnswerFile, slugify } from '../../src/knowledge/markdown-answers.js';

describe('parseAnswerFile', () => {
  it('takes the id from the file name and the title from the first heading', () => {
    const [a, ...rest] = parseAnswerFile('# How to reset your password\n\nUse **Forgot password?** on the sign-in page.\n', 'docs/reset-password.md');
    expect(rest).toEqual([]);
    expect(a).toEqual({ id: 'reset-password', title: 'How to reset your password', body: 'Use **Forgot password?** on the sign-in page.', category: null, tags: [] });
  });

  it('uses the front matter id, title, category and tags (list or comma string)', () => {
    const text = '---\nid: pw-reset\ntitle: Reset a password\ncategory: access\ntags: [forgot password, locked out]\n---\nSteps here.\n';
    expect(parseAnswerFile(text, 'x.md')[0]).toMatchObject({ id: 'pw-reset', title: 'Reset a password', category: 'access', tags: ['forgot password', 'locked out'] });
    expect(parseAnswerFile('---\ntags: "invoice, receipt"\n---\nText', 'x.md')[0]!.tags).toEqual(['invoice', 'receipt']);
  });

  it('gives one answer per ## section with id FILE#slug, sharing the front matter; headings in code blocks do not split', () => {
    const text = '---\nid: 2fa\ncategory: access\n---\n# Two-factor\nIntro text.\n\n## Turn on two-factor\nScan the code.\n```\n## not a heading\n```\n## Lost your phone?\nUse a recovery code.\n## Lost your phone?\nAgain.\n';
    const answers = parseAnswerFile(text, 'account-security.md');
    expect(answers.map((a) => a.id)).toEqual(['2fa#turn-on-two-factor', '2fa#lost-your-phone', '2fa#lost-your-phone-2']);
    expect(answers[0]!.body).toContain('## not a heading');
    expect(answers.every((a) => a.category === 'access')).toBe(true);
    expect(answers[1]).toMatchObject({ title: 'Lost your phone?', body: 'Use a recovery code.' });
  });

  it('keeps a file with sections as one answer when split: false', () => {
    const answers = parseAnswerFile('---\nsplit: false\n---\n# Export\n## Steps\nDo it.\n', 'export.md');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toBe('## Steps\nDo it.');
  });

  it('names the file and the problem for bad front matter, unknown fields, bad ids and empty answers', () => {
    const bad = (text: string, file = 'docs/bad.md') => {
      try {
        parseAnswerFile(text, file);
      } catch (e) {
        expect(e).toBeInstanceOf(KnowledgeFileInvalidError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(bad('---\ntitle: [unclosed\n---\nText')).toMatch(/^docs\/bad\.md: cannot parse the front matter YAML/);
    expect(bad('---\ntitle: A\nauthor: me\n---\nText')).toContain('unknown front matter field(s) author; allowed: id, title, category, tags, split');
    expect(bad('---\ncategory: Billing Stuff\n---\nText')).toContain('expected a category id like "billing"');
    expect(bad('---\ntitle: A\nText')).toContain('no closing "---"');
    expect(bad('# Only a title\n')).toContain('has no text');
    expect(bad('Some text', 'docs/#weird.md')).toContain('rename the file or set "id:"');
  });

  it('slugifies headings', () => {
    expect(slugify('Lost your phone — or your authenticator app?')).toBe('lost-your-phone-or-your-authenticator-app');
    expect(slugify('Zurücksetzen')).toBe('zurucksetzen');
  });
});
