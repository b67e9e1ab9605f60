/**
 * manifest.json validates against Slack's manifest schema (copied to tests/fixtures) and
 * declares exactly what the adapter's code uses: the scopes of every Web API method it calls
 * and of every event it listens to, those events, the command, the shortcut, App Home and
 * interactivity. The calls and listeners are read from the adapter's source, so adding a call
 * or a listener without updating the manifest fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { SLACK_IDS } from '../../adapters/slack/slack-ids.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(root, 'tests/fixtures/slack-manifest.schema.json'), 'utf8'));

/** Bot scopes each Web API method needs (docs.slack.dev/reference/methods). */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.open': ['im:write'],
  // We read messages in the channel types we subscribe to: public and private channels.
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'usergroups.users.list': ['usergroups:read'],
  'chat.getPermalink': [],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
};

/** Bolt event name → manifest bot events, and the scopes those subscriptions need. */
const EVENT_SUBSCRIPTIONS: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ['message.channels', 'message.groups'], scopes: ['channels:history', 'groups:history'] },
  reaction_added: { events: ['reaction_added'], scopes: ['reactions:read'] },
  app_home_opened: { events: ['app_home_opened'], scopes: [] },
  subteam_members_changed: { events: ['subteam_members_changed'], scopes: ['usergroups:read'] },
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}

const code = sources(join(root, 'adapters/slack')).join('\n');
const calledMethods = [...new Set([...code.matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)].map((m) => m[1]!))].sort();
const listenedEvents = [...new Set([...code.matchAll(/\bapp\.event\(\s*'([a-z_]+)'/g)].map((m) => m[1]!))].sort();

describe('manifest.json', () => {
  it('validates against the Slack app manifest schema', () => {
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail (a broken manifest is rejected)', () => {
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate({ ...manifest, features: { ...manifest.features, shortcuts: [{ name: 'x'.repeat(40), type: 'message' }] } })).toBe(false);
  });

  it('found the calls and listeners in the adapter source', () => {
    expect(calledMethods).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'conversations.open', 'views.open', 'views.publish']));
    expect(listenedEvents).toEqual(expect.arrayContaining(['message', 'reaction_added', 'app_home_opened']));
  });

  it('has a scope for every Web API method the adapter calls, and no scope nothing needs', () => {
    const unknown = calledMethods.filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, 'add these methods and their scopes to METHOD_SCOPES and manifest.json').toEqual([]);
    const bot: string[] = manifest.oauth_config.scopes.bot;
    const needed = new Set<string>(['commands']); // the slash command and the message shortcut
    // Agents' replies to customers are posted in the agent's name and picture (username / icon_url).
    if (/username: req\.as\.name/.test(code)) needed.add('chat:write.customize');
    for (const m of calledMethods) for (const s of METHOD_SCOPES[m]!) needed.add(s);
    for (const e of listenedEvents) for (const s of EVENT_SUBSCRIPTIONS[e]?.scopes ?? []) needed.add(s);
    for (const s of needed) expect(bot, `scope ${s}`).toContain(s);
    expect([...bot].sort()).toEqual([...needed].sort());
  });

  it('asks for chat:write.customize (replies to customers in the agent\'s name and picture)', () => {
    expect(manifest.oauth_config.scopes.bot).toContain('chat:write.customize');
    expect(code).toMatch(/username: req\.as\.name/);
  });

  it('subscribes to exactly the events the adapter listens to', () => {
    const unknown = listenedEvents.filter((e) => !(e in EVENT_SUBSCRIPTIONS));
    expect(unknown, 'add these events to EVENT_SUBSCRIPTIONS and manifest.json').toEqual([]);
    const expected = listenedEvents.flatMap((e) => EVENT_SUBSCRIPTIONS[e]!.events).sort();
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(expected);
  });

  it('declares the command, the shortcut, App Home and interactivity the code uses', () => {
    expect(code).toContain('app.command(SLACK_IDS.command');
    expect(code).toContain('callback_id: SLACK_IDS.createTicketShortcut');
    const cmd = manifest.features.slash_commands.find((c: { command: string }) => c.command === SLACK_IDS.command);
    // should_escape makes Slack send mentions as <@U…> ids, which `assign` needs.
    expect(cmd).toMatchObject({ should_escape: true });
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: SLACK_IDS.createTicketShortcut, name: 'Create ticket' })]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    for (const url of [cmd.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url]) expect(new URL(url).pathname).toBe(SLACK_IDS.eventsPath);
  });
});
