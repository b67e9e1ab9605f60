/** Matching: confident offers with an explanation; never for P0/P1 or security; category agreement; ambiguity. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/domain/types.js';
import { AnswerMatcher, triageFacts } from '../../src/knowledge/match.js';
import { contentTerms } from '../../src/knowledge/terms.js';
import { FIXTURE_DIR, makeKnowledge } from './helpers.js';

const how: { priority: Priority; security: boolean } = { priority: 'P3', security: false };

describe('contentTerms', () => {
  it('folds stop words, plurals and support synonyms so requests and answers meet', () => {
    expect(contentTerms('How do I reset my password?')).toEqual(['reset', 'password']);
    expect(contentTerms('Where are my receipts')).toEqual(contentTerms('invoice'));
    expect(contentTerms('enable 2FA')).toEqual(contentTerms('activate two-factor authentication'));
    expect(contentTerms('sign in with SAML')).toEqual(contentTerms('log in with single sign-on'));
  });
});

describe('AnswerMatcher.decide', () => {
  const k = makeKnowledge();
  beforeAll(() => {
    k.knowledge.kb.syncFolder(FIXTURE_DIR);
  });
  const decide = (text: string, category: string, extra: Partial<typeof how> = {}) => k.knowledge.matcher.decide(text, { category, ...how, ...extra });

  it('offers the answer with a human explanation when relevance and category agree', () => {
    const d = decide('How do I reset my password?', 'access');
    expect(d.offer).toBe(true);
    expect(d.answer!.id).toBe('reset-password');
    expect(d.explanation).toMatch(/^matched "reset", "password" in "How to reset your password"; category access agrees \(score 0\.\d\d ≥ 0\.65\)$/);
    expect(d.score).toBeGreaterThanOrEqual(d.threshold!);
  });

  it('never offers for P0/P1 or security, whatever the match', () => {
    for (const priority of ['P0', 'P1'] as const) {
      const d = decide('How do I reset my password?', 'access', { priority });
      expect(d).toMatchObject({ offer: false, declined: 'priority' });
      expect(d.explanation).toContain(`${priority} requests always go to a person`);
    }
    expect(decide('How do I reset my password?', 'access', { security: true })).toMatchObject({ offer: false, declined: 'security' });
    const facts = triageFacts(k.config, 'I think we were hacked, how do I reset my password?', { category: 'access', priority: 'P3' });
    expect(facts.security).toBe(true);
    expect(k.knowledge.matcher.decide('I think we were hacked, how do I reset my password?', facts).declined).toBe('security');
    expect(triageFacts(k.config, 'reset my password', { category: 'security', priority: 'P3' }).security).toBe(true);
  });

  it('a neutral category (question) needs a margin more; a disagreeing one needs more still', () => {
    const agree = decide('How do I cancel my subscription?', 'billing');
    const neutral = decide('How do I cancel my subscription?', 'question');
    const disagree = decide('How do I cancel my subscription?', 'bug');
    expect(agree.threshold).toBe(0.65);
    expect(neutral.threshold).toBe(0.7);
    expect(disagree.threshold).toBe(0.8);
    expect(neutral.explanation).toContain('category question is neutral (answer is billing)');
    expect(disagree.explanation).toContain('category bug disagrees (answer is billing)');
    // With disagreeMargin 1 a disagreeing category never gets an answer.
    const strict = new AnswerMatcher(k.knowledge.kb.repo, { ...k.config.knowledge.match, disagreeMargin: 1 });
    expect(strict.decide('How do I cancel my subscription?', { category: 'bug', ...how })).toMatchObject({ offer: false, declined: 'category' });
  });

  it('per-category thresholds override the default', () => {
    const m = new AnswerMatcher(k.knowledge.kb.repo, { ...k.config.knowledge.match, categoryThresholds: { billing: 0.99 } });
    const d = m.decide('How do I cancel my subscription?', { category: 'billing', ...how });
    expect(decide('How do I cancel my subscription?', 'billing').offer).toBe(true);
    expect(d).toMatchObject({ offer: false, declined: 'below_threshold' });
    expect(d.candidates[0]!.answer.id).toBe('cancel-plan');
    const one = makeKnowledge({ knowledge: { match: { categoryThresholds: { billing: 0.99 } } } });
    one.knowledge.kb.save({ title: 'Cancel your subscription', body: 'Settings, Billing, Cancel.', category: 'billing', by: 'U_AGENT1' });
    const only = one.knowledge.matcher.decide('How do I cancel my subscription?', { category: 'billing', ...how });
    expect(only).toMatchObject({ offer: false, declined: 'below_threshold', threshold: 0.99 });
    expect(only.explanation).toContain('is below 0.99');
  });

  it('a problem report the answer does not mention is not offered a how-to', () => {
    const d = decide('I reset my password but now I get error 500 when logging in', 'access');
    expect(d.offer).toBe(false);
    expect(d.explanation).toContain('the request reports a problem ("error", "500")');
  });

  it('does not offer when two answers match almost equally', () => {
    const m = new AnswerMatcher(k.knowledge.kb.repo, { ...k.config.knowledge.match, threshold: 0.1, minLead: 0.5 });
    const d = m.decide('two-factor authenticator app', { category: 'access', ...how });
    expect(d).toMatchObject({ offer: false, declined: 'ambiguous' });
    expect(d.explanation).toContain('matches almost as well');
  });

  it('unrelated text gets no match; empty text is declined', () => {
    expect(decide('zebra xylophone quantum', 'other').declined).toBe('no_match');
    expect(decide('   ', 'other').declined).toBe('empty');
  });

  it('sees answers added after the first match (corpus statistics follow the store)', () => {
    const local = makeKnowledge();
    expect(local.knowledge.matcher.decide('How do I rename a board?', { category: 'question', ...how }).declined).toBe('no_match');
    local.knowledge.kb.save({ title: 'Rename a board', body: 'Open the board menu and choose Rename.', category: 'question', by: 'U_AGENT1' });
    const d = local.knowledge.matcher.decide('How do I rename a board?', { category: 'question', ...how });
    expect(d).toMatchObject({ offer: true });
    expect(d.answer!.id).toBe('rename-a-board');
  });
});
