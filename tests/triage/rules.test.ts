/** The rule layer: phrase matching (word-bounded, case-insensitive, /regex/) and config rules. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { compileMatchers, compileRules, matchRules, phraseHeads, requiredLiterals } from '../../src/triage/rules.js';

describe('compileMatchers', () => {
  it('matches phrases case-insensitively on word boundaries, any whitespace between words', () => {
    const [re] = compileMatchers(['all users', 'down']);
    expect(re!.test('ALL   Users are affected')).toBe(true);
    expect(re!.test('it is DOWN.')).toBe(true);
    expect(re!.test('download the file')).toBe(false);
    expect(re!.test('smallusers')).toBe(false);
  });

  it('treats /.../ entries as regular expressions', () => {
    const res = compileMatchers(['/\\bsev ?1\\b/']);
    expect(res).toHaveLength(1);
    expect(res[0]!.test('this is a SEV1')).toBe(true);
    expect(res[0]!.test('sev10')).toBe(false);
  });

  it('escapes regex characters inside phrases', () => {
    const [re] = compileMatchers(['c++ (beta)']);
    expect(re!.test('the c++ (beta) sdk')).toBe(true);
    expect(re!.test('c (beta)')).toBe(false);
  });
});

describe('built-in rules', () => {
  const rules = compileRules(parseConfig({}));
  const ids = (text: string) => matchRules(rules, text).map((h) => h.rule.id);

  it('finds outage, wide impact and production', () => {
    const hits = matchRules(rules, 'Production is down for all our customers since 10:02');
    expect(hits.map((h) => [h.rule.id, h.phrase])).toEqual(
      expect.arrayContaining([
        ['outage', 'is down'],
        ['broad-impact', 'all our customers'],
        ['production', 'production'],
      ]),
    );
  });

  it('recognises access, billing and security phrases', () => {
    expect(ids("hi, I can't log in")).toContain('login-blocked');
    expect(ids('we got charged twice this month')).toContain('billing-error');
    expect(ids('I think our account was hacked')).toContain('security-incident');
  });

  it('does not fire on look-alike words', () => {
    expect(ids('please scroll down and download the export')).not.toContain('outage');
    expect(ids('this is not urgent at all')).not.toContain('urgent');
    expect(ids('this is urgent')).toContain('urgent');
  });
});

describe('config rules', () => {
  it('come after the built-in ones, keep their fields, and drop categories outside the taxonomy', () => {
    const config = parseConfig({
      categories: ['bug', 'shipping', 'other'],
      triage: {
        rules: [
          { id: 'parcel', match: ['tracking number', '/\\bparcel(s)?\\b/'], category: 'shipping', atLeast: 'P2' },
          { id: 'vip-word', match: ['board meeting'], priority: 'P1', label: 'exec deadline' },
        ],
      },
    });
    const rules = compileRules(config);
    expect(rules.at(-2)).toMatchObject({ id: 'parcel', origin: 'config', category: 'shipping', atLeast: 'P2' });
    expect(rules.at(-1)).toMatchObject({ id: 'vip-word', priority: 'P1', label: 'exec deadline' });
    // built-in rules pointing at categories this desk does not have keep only their priority part
    expect(rules.find((r) => r.id === 'billing')).toBeUndefined();
    expect(rules.find((r) => r.id === 'outage')).toMatchObject({ atLeast: 'P1' });
    expect(rules.find((r) => r.id === 'outage')?.category).toBeUndefined();
    expect(matchRules(rules, 'Where are my Parcels?').map((h) => [h.rule.id, h.phrase])).toContainEqual(['parcel', 'parcels']);
  });

  it('can turn the built-in rules off', () => {
    const rules = compileRules(parseConfig({ triage: { builtInRules: false } }));
    expect(rules).toEqual([]);
  });
});

describe('phrase pre-filter', () => {
  it('skips a phrase pattern only when none of its first words is in the text', () => {
    expect(phraseHeads(['All users', "can't log in", '/regex/'])).toEqual(new Set(['all', 'can']));
    expect(phraseHeads(['(beta) sdk'])).toBeNull();
    const rules = compileRules(parseConfig({ triage: { rules: [{ id: 'beta', match: ['c++ (beta)', '(alpha) sdk'], category: 'bug' }] } }));
    const ids = (text: string) => matchRules(rules, text).map((h) => h.rule.id);
    expect(ids('the C++ (beta) sdk fails')).toContain('beta');
    expect(ids('the (alpha) sdk fails')).toContain('beta');
    expect(ids('ALL   Users are affected')).toContain('broad-impact');
    expect(ids('nothing relevant here')).not.toContain('beta');
  });
});

describe('fast matching', () => {
  it('finds the literals any match of a regular expression needs', () => {
    expect(requiredLiterals('\\b(?:is|was)\\s+(?:completely\\s+)?down\\b')).toEqual(['down']);
    expect(requiredLiterals('\\b(?:leaked|stolen)\\s+(?:\\w+\\s+)?(?:credentials|passwords?)\\b')).toEqual(['credentials', 'password']);
    expect(requiredLiterals('証明書.{0,15}(?:期限切れ|失効)')).toEqual(['証明書']);
    // an optional part is never required; a branch without a literal makes the whole unknown
    expect(requiredLiterals('(?:foo)?bar')).toEqual(['bar']);
    expect(requiredLiterals('foo|\\d+')).toBeNull();
    expect(requiredLiterals('[a-z]+')).toBeNull();
  });

  it('matches phrases word by word with the same separators as written', () => {
    const rules = compileRules(parseConfig({ triage: { builtInRules: false, rules: [{ id: 'x', match: ['company-wide', "can't   sign in", 'sso'], category: 'bug' }] } }));
    const phrase = (text: string) => matchRules(rules, text)[0]?.phrase ?? null;
    expect(phrase('an outage, Company-Wide.')).toBe('company-wide');
    expect(phrase('company wide')).toBeNull();
    expect(phrase("I CAN'T\tsign   in")).toBe("can't sign in");
    expect(phrase("can'tsign in")).toBeNull();
    expect(phrase('ssologin')).toBeNull();
    expect(phrase('sign in with SSO!')).toBe('sso');
  });

  it('reports the earliest match, the longest entry at one position', () => {
    const rules = compileRules(parseConfig({ triage: { builtInRules: false, rules: [{ id: 'x', match: ['down', 'down for everyone', 'offline'], category: 'bug' }] } }));
    expect(matchRules(rules, 'offline and down for everyone')[0]!.phrase).toBe('offline');
    expect(matchRules(rules, 'it is down for everyone')[0]!.phrase).toBe('down for everyone');
  });
});
