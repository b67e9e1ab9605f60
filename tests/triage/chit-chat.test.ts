/** Greetings, thanks and acknowledgements are not requests; anything with a need in it is. */
import { describe, expect, it } from 'vitest';
import { isChitChat } from '../../src/triage/chit-chat.js';

describe('isChitChat', () => {
  it.each([
    'hi',
    'Hello!',
    'thanks, that fixed it!',
    'ok',
    'good morning',
    '👍',
    ':thumbsup:',
    'Hi team, good morning :)',
    'thank you so much <@U123ABC>',
    'cheers, all sorted now',
    'ok thanks, will try',
    'Great, it works now!',
    'no worries',
    '',
    '🙏🙏',
  ])('%j is chit-chat', (text) => {
    expect(isChitChat(text)).toBe(true);
  });

  it.each([
    "hi, I can't log in",
    'hello, the export is broken',
    'thanks, but it still does not work',
    'is it down?',
    'good morning, we were charged twice',
    'ok so how do I reset my password?',
    'help',
    'hi everyone, production is down',
  ])('%j is a request', (text) => {
    expect(isChitChat(text)).toBe(false);
  });
});

describe('a negated "it worked" is a report', () => {
  it.each(['Não funcionou', 'no resuelto', 'non résolu', 'nein, erledigt ist das nicht', 'no, not fixed'])('%j is a request', (text) => {
    expect(isChitChat(text)).toBe(false);
  });

  it.each(['no problem, it works now', 'Obrigado, funcionou!', 'no worries, fixed', 'ya funciona, gracias'])('%j is still chit-chat', (text) => {
    expect(isChitChat(text)).toBe(true);
  });
});
