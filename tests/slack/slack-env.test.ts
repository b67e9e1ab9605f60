/**
 * Slack settings: HTTP vs Socket Mode selection, and start-up refusals that name the variable
 * to set. Also the adapter's registry entry and a token Slack rejects at auth.test.
 */
import { describe, expect, it } from 'vitest';
import { slackAdapter } from '../../adapters/slack/index.js';
import { readSlackSettings } from '../../adapters/slack/slack-env.js';
import { ADAPTERS } from '../../adapters/registry.js';
import { startHarness } from './support.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

describe('readSlackSettings', () => {
  it('selects HTTP mode with a bot token and signing secret', () => {
    expect(readSlackSettings(base)).toMatchObject({ mode: 'http', botToken: 'xoxb-1', signingSecret: 'secret', appToken: null, apiUrl: null });
  });

  it('selects Socket Mode when SLACK_APP_TOKEN is set, unless SLACK_SOCKET_MODE=false', () => {
    expect(readSlackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).mode).toBe('socket');
    expect(readSlackSettings({ ...base, SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'false' }).mode).toBe('http');
  });

  it('normalises SLACK_API_URL and insists on /api/', () => {
    expect(readSlackSettings({ ...base, SLACK_API_URL: 'http://127.0.0.1:9/api' }).apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(() => readSlackSettings({ ...base, SLACK_API_URL: 'http://127.0.0.1:9/' })).toThrow(/SLACK_API_URL must end with \/api\//);
    expect(() => readSlackSettings({ ...base, SLACK_API_URL: 'not a url' })).toThrow(/SLACK_API_URL must be a URL/);
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: 's' }, /set SLACK_BOT_TOKEN/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /set SLACK_SIGNING_SECRET .* or SLACK_APP_TOKEN/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, /SLACK_APP_TOKEN must be an app-level token starting with "xapp-"/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true', SLACK_SIGNING_SECRET: 's' }, /set SLACK_APP_TOKEN/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'false' }, /needs SLACK_SIGNING_SECRET/],
    [{ ...base, SLACK_SOCKET_MODE: 'maybe' }, /SLACK_SOCKET_MODE must be "true" or "false"/],
    [{ ...base, SLACK_BOT_USER_ID: 'bot' }, /SLACK_BOT_USER_ID must be a user id/],
  ])('refuses %j', (env, msg) => {
    expect(() => readSlackSettings(env)).toThrow(msg);
  });
});

describe('the slack adapter module', () => {
  it('is registered, runs when any Slack credential is set, and validates half-configured settings', () => {
    expect(ADAPTERS).toContain(slackAdapter);
    expect(slackAdapter.enabled({})).toBe(false);
    expect(slackAdapter.enabled({ SLACK_SIGNING_SECRET: 's' })).toBe(true);
    expect(() => slackAdapter.validateEnv!({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(slackAdapter.describe(base, { host: '127.0.0.1', port: 3000 })).toContain('http://127.0.0.1:3000/slack/events');
    expect(slackAdapter.describe({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, { host: '127.0.0.1', port: 3000 })).toContain('Socket Mode');
  });
});

describe('start-up against Slack', () => {
  it('looks up its identity with auth.test, or skips it when SLACK_BOT_USER_ID is set', async () => {
    const h = await startHarness();
    expect(h.fake.callsOf('auth.test')).toHaveLength(1);
    expect(h.slack.bot).toEqual({ userId: 'UBOT', botId: 'BBOT' });
    await h.close();
    const h2 = await startHarness({ env: { SLACK_BOT_USER_ID: 'U0MYBOT' } });
    expect(h2.fake.callsOf('auth.test')).toHaveLength(0);
    expect(h2.slack.bot.userId).toBe('U0MYBOT');
    await h2.close();
  });

  it('stops with a message naming SLACK_BOT_TOKEN when Slack rejects the token', async () => {
    await expect(startHarness({ beforeStart: (f) => f.failNext('auth.test', { kind: 'ok_false', error: 'invalid_auth' }) })).rejects.toThrow(
      /SLACK_BOT_TOKEN was rejected by Slack \(invalid_auth\)/,
    );
  });
});
