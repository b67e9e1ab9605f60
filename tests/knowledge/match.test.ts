/** Matching: confident offers with an explanation; never for P0/P1 or security; category agreement; ambiguity. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/domain/types.js';
import { AnswerMatcher, triageFacts } from '../../src/knowledge/match.js';
import { contentTerms, malfunction, stem } from '../../src/knowledge/terms.js';
import { FIXTURE_DIR, makeKnowledge } from './helpers.js';

const how: { priority: Priority; security: boolean } = { priority: 'P3', security: false };

describe('contentTerms', () => {
  it('folds stop words, plurals and support synonyms so requests and answers meet', () => {
    expect(contentTerms('How do I reset my password?')).toEqual(['reset', 'password']);
    expect(contentTerms('Where are my receipts')).toEqual(contentTerms('invoice'));
    expect(contentTerms('enable 2FA')).toEqual(contentTerms('activate two-factor authentication'));
    expect(contentTerms('sign in with SAML')).toEqual(contentTerms('log in with single sign-on'));
  });

  it('stems lightly and the same way for every form of a word', () => {
    for (const [forms, s] of [
      [['invoice', 'invoices', 'invoiced'], 'invoic'],
      [['cancel', 'cancelled', 'cancelling', 'cancels'], 'cancel'],
      [['reset', 'resetting', 'resets'], 'reset'],
      [['enable', 'enabled', 'enabling'], 'enabl'],
      [['429', '429s'], '429'],
    ] as const)
      for (const f of forms) expect(stem(f), f).toBe(s);
    expect(stem('api')).toBe('api'); // short words stay
    expect(stem('2025')).toBe('2025');
  });

  it('folds support vocabulary: close/shut down an account is deleting it, stopping a subscription is cancelling it', () => {
    const same = (a: string, b: string) => expect(contentTerms(a), a).toEqual(contentTerms(b));
    same('close my account', 'delete account');
    same('shut down our workspace', 'delete workspace');
    same('stop our subscription', 'cancel plan');
    same('end the subscription', 'cancel subscription');
    same("can't remember my passcode", 'forgot password');
    same('turn on MFA', 'enable two-factor');
    same('switch on 2FA', 'activate two factor authentication');
    same('money back', 'refund');
    same('back up the boards', 'backup boards');
    same('update the card', 'change card');
    same('update the credit card', 'change card');
    same('invite people', 'invite colleagues');
    same('invite members', 'invite teammates');
    same('last bill', 'last invoice');
    // "billing" names every billing page: it is not folded into invoices like "bill" is.
    expect(contentTerms('billing')).not.toEqual(contentTerms('invoice'));
    // Unsubscribing from e-mails is not cancelling the plan.
    expect(contentTerms('unsubscribe')).not.toEqual(contentTerms('cancel'));
    // "close" alone (a ticket, a board) is not "delete".
    expect(contentTerms('close the board')).not.toContain('delet');
  });

  it('meets English answers from the core support words of other languages', () => {
    const sorted = (t: string) => contentTerms(t).sort();
    expect(sorted('Wie kann ich mein Passwort zurücksetzen?')).toEqual(sorted('reset password'));
    expect(sorted('¿Cómo descargo mis facturas?')).toEqual(sorted('download invoices'));
    expect(sorted('Mot de passe oublié')).toEqual(sorted('password forgotten'));
    expect(sorted('Como altero o meu cartão de crédito?')).toEqual(sorted('change credit card'));
  });
});

describe('malfunction', () => {
  it('finds what reports something not working, unless the request asks how to', () => {
    expect(malfunction('password reset emails never arrive, checked spam already')).toEqual(['never arrive']);
    expect(malfunction('the export no longer finishes')).toEqual(['no longer']);
    expect(malfunction("webhook deliveries don't work since Monday")).toEqual(["don't work"]);
    expect(malfunction('import fails with an error')).toEqual(['fails', 'error']);
    expect(malfunction('how do I fix the error when I import?')).toEqual([]);
    expect(malfunction('where can I see failed webhook deliveries')).toEqual([]);
    expect(malfunction('I want to close my account')).toEqual([]);
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
    const text = 'How is proration handled when I upgrade mid-month?';
    const agree = decide(text, 'billing');
    const neutral = decide(text, 'question');
    const disagree = decide(text, 'bug');
    expect(agree.threshold).toBe(0.65);
    expect(neutral.threshold).toBe(0.7);
    expect(disagree.threshold).toBe(0.8);
    expect(neutral.explanation).toContain('category question is neutral (answer is billing)');
    expect(disagree.explanation).toContain('category bug disagrees (answer is billing)');
    expect([agree.offer, neutral.offer, disagree.offer]).toEqual([true, true, false]);
    // With disagreeMargin 1 a disagreeing category never gets an answer.
    const strict = new AnswerMatcher(k.knowledge.kb.repo, { ...k.config.knowledge.match, disagreeMargin: 1 });
    expect(strict.decide(text, { category: 'bug', ...how })).toMatchObject({ offer: false, declined: 'category' });
  });

  it("naming an answer's whole title or key phrase counts as neutral when triage disagrees", () => {
    const d = decide('close my account permanently', 'access'); // names the tag "close account"; triage says access, the answer is data
    expect(d).toMatchObject({ offer: true, threshold: 0.7 });
    expect(d.answer!.id).toBe('delete-account');
    expect(d.explanation).toContain("category access differs (answer is data), but the request names the answer's key phrase");
    expect(d.candidates[0]!.namesKeyPhrase).toBe(true);
    // Only a whole phrase of two or more terms: one shared word ("upgrade") is not enough.
    expect(decide('How is proration handled when I upgrade mid-month?', 'bug').threshold).toBe(0.8);
  });

  it('a request reporting a malfunction needs more than a how-to answer that does not mention it', () => {
    const text = 'password reset emails never arrive, checked spam already';
    const d = decide(text, 'access');
    expect(d).toMatchObject({ offer: false, declined: 'below_threshold', threshold: 0.8 });
    expect(d.explanation).toContain('the request reports a malfunction ("never arrive") the answer does not mention, so it needs 0.15 more');
    // The same words asked as a how-to are offered at the normal threshold.
    expect(decide('How do I get the password reset email? I checked spam already', 'access')).toMatchObject({ offer: true, threshold: 0.65 });
    // malfunctionMargin 0 switches the rule off.
    const lax = new AnswerMatcher(k.knowledge.kb.repo, { ...k.config.knowledge.match, malfunctionMargin: 0 });
    expect(lax.decide(text, { category: 'access', ...how })).toMatchObject({ offer: true, threshold: 0.65 });
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
    expect(d.explanation).toContain('the request reports a malfunction ("error", "500") the answer does not mention');
  });

  it('a bare "cancel" is about the plan, not the e-mails one unsubscribes from', () => {
    expect(decide('Where do I cancel?', 'billing').answer!.id).toBe('cancel-plan');
    expect(decide('how do I unsubscribe from the digest emails', 'question').answer!.id).toBe('notifications');
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
