/**
 * Issue #14's examples, as tests: impact before topic (security, data loss, wide outages),
 * topic over phrasing (how-to about an account is access, about cancelling is billing),
 * P0/P1 signals and chit-chat in German, Spanish, French, Portuguese and Japanese, and a
 * priority that says when it is unsure. Plus the project's own held-out chat set.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { evaluateTriage } from '../../src/triage/evaluate.js';
import { createTriage } from '../../src/triage/triage.js';

const config = parseConfig({});
const triage = createTriage(config);
const classify = (text: string) => triage.classify({ text });

describe('impact before topic', () => {
  it.each([
    ['There are API keys in our account that we never created', 'security', 'P0'],
    ['we see logins from an unknown device and two api keys none of us created', 'security', 'P0'],
    ['I think someone else is using my account', 'security', 'P0'],
    ['someone else has been logging into my account', 'security', 'P0'],
    ['a developer pushed our secret key to a public GitHub repo', 'security', 'P0'],
    ['our staff got a phishing email pretending to be from you', 'security', 'P1'],
    ['we deleted two years of data, can you restore it?', 'data', 'P0'],
    ['my colleague accidentally deleted all our contacts', 'data', 'P0'],
    ['Our webhooks are failing and orders are not syncing to the shop', 'outage', 'P1'],
    ['the SSL certificate on our domain has expired', 'outage', 'P1'],
    ['checkout is down for all our customers', 'outage', 'P0'],
    ['all users get error 500 on every page', 'outage', 'P0'],
  ])('%j → %s, at least %s', (text, category, priority) => {
    const r = classify(text);
    expect(r.isRequest).toBe(true);
    expect(r.category).toBe(category);
    expect(r.priority <= priority, `${r.priority} should be ${priority} or more urgent`).toBe(true);
  });

  it('a typo on a page is a trivial bug, not billing', () => {
    expect(classify("There's a typo on your pricing page")).toMatchObject({ category: 'bug', priority: 'P4' });
  });

  it('an integration failure is not a performance problem', () => {
    expect(classify('webhooks are failing and orders are not syncing').category).not.toBe('performance');
  });

  it('a config rule still names the category over an impact rule, and P0 floors are never lowered', () => {
    const t = createTriage(parseConfig({ triage: { rules: [{ id: 'keys', match: ['api keys'], category: 'access', priority: 'P3' }] } }));
    const r = t.classify({ text: 'we found API keys that we never created' });
    expect(r.category).toBe('access');
    expect(r.priority).toBe('P0');
  });
});

describe('topic over phrasing', () => {
  it.each([
    ['How do I reset my password?', 'access'],
    ['how do I change the email address on my account?', 'access'],
    ['how do I cancel?', 'billing'],
    ['how can I download last year’s invoices?', 'billing'],
    ['how do I change the logo in the sidebar?', 'question'],
  ])('%j → %s', (text, category) => {
    expect(classify(text).category).toBe(category);
  });
});

describe('more languages', () => {
  it.each([
    ['Los pagos están caídos para todos nuestros clientes', 'P0'],
    ['全ユーザーで500エラーが出ています。至急対応してください', 'P0'],
    ['Login funktioniert nicht mehr, niemand kann sich anmelden. Dringend!', 'P1'],
    ['Le site est en panne pour tous nos clients', 'P0'],
    ['O sistema está fora do ar para todos os usuários', 'P0'],
    ['Unser Konto wurde gehackt', 'P0'],
    ['Mi cuenta fue hackeada', 'P0'],
    ['Perdemos todos os dados, vocês conseguem restaurar?', 'P0'],
    ['アカウントが乗っ取られました', 'P0'],
    ['Login geht nicht, dringend', 'P1'],
    ['no puedo iniciar sesión', 'P2'],
    ["je n'arrive pas à me connecter", 'P2'],
  ])('%j → at least %s', (text, priority) => {
    const r = classify(text);
    expect(r.isRequest).toBe(true);
    expect(r.priority <= priority, `${r.priority} should be ${priority} or more urgent`).toBe(true);
  });

  it.each([
    'Hallo zusammen',
    'Vielen Dank für die schnelle Hilfe!',
    'muchas gracias',
    'merci beaucoup, bonne journée',
    'obrigado pela ajuda!',
    'ありがとうございます',
    'こんにちは',
  ])('%j is chit-chat', (text) => {
    expect(classify(text).isRequest).toBe(false);
  });

  it.each(['Hola, no puedo iniciar sesión', 'ありがとうございます。ログインできません', 'Danke, aber es geht immer noch nicht', 'Bonjour, ma facture est fausse'])(
    '%j is a request, not chit-chat',
    (text) => {
      expect(classify(text).isRequest).toBe(true);
    },
  );
});

describe('priority that knows its limits', () => {
  it('says "low confidence" first among the priority reasons when the learner is unsure', () => {
    const r = classify('Gracias, pero sigue sin funcionar');
    expect(r.lowConfidence).toBe(true);
    expect(r.signals.find((s) => s.kind === 'priority')).toMatchObject({ source: 'confidence', value: r.priority });
    expect(r.signals.find((s) => s.kind === 'priority')?.label).toMatch(/^low confidence: P\d \d+%/);
  });

  it('is not unsure when a rule set the priority', () => {
    const r = classify('Production is down for all our customers');
    expect(r.lowConfidence).toBe(false);
    expect(r.signals.some((s) => s.source === 'confidence')).toBe(false);
  });
});

describe('held-out chat set (written before tuning, never tuned on)', () => {
  it('triages most of it right, in every language', () => {
    const path = fileURLToPath(new URL('./fixtures/chat-holdout.jsonl', import.meta.url));
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { text: string; category: string; priority: string });
    const r = evaluateTriage(triage, lines);
    expect(r.category!.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(r.priority!.accuracy).toBeGreaterThanOrEqual(0.8);
  });
});
