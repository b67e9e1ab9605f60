/** Redaction of secrets and personal data before text leaves the process. */
import { describe, expect, it } from 'vitest';
import { createRedactor, ibanValid, luhnValid, redact } from '../../src/ai/redact.js';

describe('redact: emails', () => {
  it.each([
    ['write to ana@example.com today', 'write to [email] today'],
    ['jane.doe+support@mail.example.co.uk', '[email]'],
    ['<bob_smith@sub.domain.io>', '<[email]>'],
  ])('%s', (input, expected) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts.email).toBe(1);
  });

  it('leaves @mentions and handles alone', () => {
    expect(redact('ping @dana and @support-team').text).toBe('ping @dana and @support-team');
  });
});

describe('redact: phone numbers', () => {
  it.each([
    ['call +1 (555) 123-4567', 'call [phone]'],
    ['mobile +49 151 23456789 please', 'mobile [phone] please'],
    ['office 0049 30 1234567', 'office [phone]'],
    ['UK 020 7946 0958', 'UK [phone]'],
    ['US (555) 123-4567', 'US [phone]'],
    ['plain 5551234567', 'plain [phone]'],
    ['dots +33.1.23.45.67.89', 'dots [phone]'],
  ])('%s', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it.each([
    'on 2026-01-05 10:00 UTC',
    'on 05/01/2026',
    'server 192.168.10.20',
    'errors 404 500 503 502',
    'version 1.2.3 and 10.4.12',
    'ticket T-1042 and order 12345',
    'pi is 3.14159265358',
    'amount 1,250,000.00',
    'request id req_0123456789',
    'job 4f3c2a1b-9d8e-4c7b-a6f5-0e1d2c3b4a59',
  ])('keeps "%s"', (input) => {
    const r = redact(input);
    expect(r.text).toBe(input);
    expect(r.total).toBe(0);
  });
});

describe('redact: payment cards (Luhn)', () => {
  it.each([
    ['card 4111 1111 1111 1111 expired', 'card [card] expired'],
    ['4111-1111-1111-1111', '[card]'],
    ['mc 5500005555555559', 'mc [card]'],
    ['amex 3782 822463 10005', 'amex [card]'],
  ])('%s', (input, expected) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts.card).toBe(1);
  });

  it('keeps long digit runs that fail the Luhn check', () => {
    expect(redact('ref 4111 1111 1111 1112').text).toBe('ref 4111 1111 1111 1112');
    expect(redact('ref 1234567890123456').counts.card).toBeUndefined();
  });

  it('luhnValid', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

describe('redact: API keys and tokens', () => {
  it.each([
    ['key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv', 'key [api_key]', 'api_key'],
    ['openai sk-proj-abcdefghijklmnop1234', 'openai [api_key]', 'api_key'],
    ['slack xoxb-1234567890-0987654321-AbCdEfGh', 'slack [api_key]', 'api_key'],
    ['user token xoxp-1111111111-2222222222', 'user token [api_key]', 'api_key'],
    ['app xoxa-2-abcdefghijklmn', 'app [api_key]', 'api_key'],
    ['gh ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'gh [api_key]', 'api_key'],
    ['pat github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'pat [api_key]', 'api_key'],
    ['aws AKIAIOSFODNN7EXAMPLE', 'aws [api_key]', 'api_key'],
    ['stripe sk_live_abcdefghijklmnop1234', 'stripe [api_key]', 'api_key'],
    ['Authorization: Bearer abc.def-ghi_jkl123', 'Authorization: Bearer [token]', 'token'],
    ['curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA=="', 'curl -H "Authorization: Basic [token]"', 'token'],
    [
      'jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'jwt [jwt]',
      'jwt',
    ],
  ])('%s', (input, expected, kind) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts[kind as 'api_key']).toBe(1);
  });

  it('does not redact ordinary words that start like keys', () => {
    expect(redact('ask-me later, skip it, task-runner').text).toBe('ask-me later, skip it, task-runner');
  });
});

describe('redact: passwords and secrets', () => {
  it.each([
    ['password: hunter2', 'password: [password]'],
    ['Password=correct horse', 'Password=[password] horse'],
    ['pwd=s3cr3t!', 'pwd=[password]'],
    ['{"password": "x y z"}', '{"password": [password]}'],
    ['my password is swordfish', 'my password is [password]'],
    ['passwd: "quoted value"', 'passwd: [password]'],
  ])('%s', (input, expected) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts.password).toBe(1);
  });

  it.each([
    ['api_key=abcd1234', 'api_key=[secret]'],
    ['client_secret: zzz', 'client_secret: [secret]'],
    ['token=abc123', 'token=[secret]'],
  ])('%s', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it('does not double-redact "token: Bearer …"', () => {
    const r = redact('token: Bearer abcdefghijkl');
    expect(r.text).toBe('token: Bearer [token]');
    expect(r.counts).toEqual({ token: 1 });
  });

  it('keeps the word "password" in ordinary sentences', () => {
    expect(redact('I forgot my password and the reset mail never came').text).toBe('I forgot my password and the reset mail never came');
  });
});

describe('redact: IBANs (mod 97)', () => {
  it.each([
    ['pay to DE89 3704 0044 0532 0130 00 please', 'pay to [iban] please'],
    ['GB82WEST12345698765432', '[iban]'],
    ['FR14 2004 1010 0505 0001 3M02 606', '[iban]'],
  ])('%s', (input, expected) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts.iban).toBe(1);
  });

  it('keeps strings that look like IBANs but fail the checksum', () => {
    expect(redact('DE00 1234 5678 9012 3456 78').counts.iban).toBeUndefined();
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
});

describe('redact: counts, extra patterns, idempotence', () => {
  it('counts every finding per kind', () => {
    const r = redact('a@x.io, b@y.io, +1 (555) 123-4567, password: x, 4111 1111 1111 1111');
    expect(r.counts).toEqual({ email: 2, phone: 1, password: 1, card: 1 });
    expect(r.total).toBe(5);
    expect(r.text).toBe('[email], [email], [phone], password: [password], [card]');
  });

  it('applies extra patterns as [redacted]', () => {
    const redactor = createRedactor(['CUST-\\d{6}', 'project (?:falcon|osprey)']);
    const r = redactor('CUST-123456 asked about project falcon and CUST-654321');
    expect(r.text).toBe('[redacted] asked about [redacted] and [redacted]');
    expect(r.counts).toEqual({ custom: 3 });
  });

  it('ignores extra patterns that match the empty string', () => {
    expect(createRedactor(['x*'])('abc').text).toBe('abc');
  });

  it('is idempotent', () => {
    const once = redact('mail ana@example.com, key sk-ant-abcdefghijklmnop1234, call +44 20 7946 0958').text;
    const twice = redact(once);
    expect(twice.text).toBe(once);
    expect(twice.total).toBe(0);
  });

  it('leaves ordinary support text untouched', () => {
    const text = 'Since the 3.2 update on 2026-03-01 the export button (Reports → Export) shows error 502 for 3 of our 40 users.';
    expect(redact(text)).toEqual({ text, counts: {}, total: 0 });
  });
});
