/**
 * Chat commands as a new user meets them (issue #11, item 8): `assign` takes people by the
 * names they go by and refuses people who do not exist; errors show `code` as code on every
 * surface and carry a usage line only when the subcommand's arguments were the problem.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RenderContext, renderMessageView } from '../../adapters/local/render-html.js';
import { renderMessage as renderSlack } from '../../adapters/slack/render-blocks.js';
import { renderCard } from '../../adapters/teams/render-card.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { registerDemoPeople } from '../../adapters/local/people.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';

const flat = (v: MessageView) => JSON.stringify(v.blocks);

describe('chat commands for a new user', () => {
  let t: TestCore;
  let key: string;
  const run = (text: string, user = 'U_AGENT1') => runCommand(t.core.commands, t.core.tickets, text, { platform: 'local', userId: user, channelId: 'support' });
  beforeEach(() => {
    t = makeTestCore();
    key = t.core.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'U_CUST', text: 'Checkout fails with error 502 for every customer', force: true }).ticket!.key;
    t.core.tickets.assign(key, 'U_AGENT1', 'U_AGENT1');
  });
  afterEach(async () => {
    await t.core.close();
  });

  it('assigns by display name, first name, real name or handle, and by id in any case', async () => {
    t.core.directory.setName('U_AGENT2', 'Bo Lindqvist');
    t.core.directory.addAlias('U_AGENT2', 'bo.lindqvist');
    for (const who of ['@Bo', '@bo lindqvist', '"@Bo Lindqvist"', '@bo.lindqvist', '@u_agent2', 'U_AGENT2']) {
      t.core.tickets.assign(key, 'U_AGENT1', 'U_AGENT1');
      const r = await run(`assign ${key} ${who}`);
      expect(flat(r.view), who).toContain(`${key} is assigned to <@U_AGENT2>`);
      expect(t.core.tickets.require(key).ownerId, who).toBe('U_AGENT2');
    }
    expect(flat((await run(`assign ${key} me`, 'U_AGENT2')).view)).toContain('<@U_AGENT2>');
  });

  it('resolves the playground’s @Sam to Sam Okafor', async () => {
    registerDemoPeople(t.core.directory);
    await run(`assign ${key} @Sam`);
    expect(t.core.tickets.require(key).ownerId).toBe('sam');
    // Sam's ticket now: reassigning it asks first.
    const asked = await run(`assign ${key} @Dana Whitfield`);
    expect(t.core.tickets.require(key).ownerId).toBe('sam');
    expect(flat(asked.view)).toContain('ticket.reassign_confirmed');
    await t.core.interactions.action('ticket.reassign_confirmed', `${key}|dana`, { platform: 'local', userId: 'U_AGENT1' });
    expect(t.core.tickets.require(key).ownerId).toBe('dana');
  });

  it('refuses someone nobody knows, and an ambiguous name, without changing the owner', async () => {
    registerDemoPeople(t.core.directory);
    const r = await run(`assign ${key} @nobody-here`);
    expect(flat(r.view)).toContain('I don\'t know anyone called \\"@nobody-here\\"');
    expect(flat(r.view)).toContain('Sam Okafor (`sam`)');
    expect(t.core.tickets.require(key).ownerId).toBe('U_AGENT1');
    t.core.directory.setName('U_AGENT1', 'Kim Ode');
    t.core.directory.setName('U_AGENT2', 'Kim Berg');
    const two = await run(`assign ${key} @Kim`);
    expect(flat(two.view)).toContain('could be Kim Ode (`U_AGENT1`) or Kim Berg (`U_AGENT2`)');
    expect(t.core.tickets.require(key).ownerId).toBe('U_AGENT1');
    // A platform mention is vouched for by the platform (Slack escapes real users as <@U…|name>).
    await run(`assign ${key} <@U_SLACKUSER|kim>`);
    expect(t.core.tickets.require(key).ownerId).toBe('U_SLACKUSER');
  });

  it('shows usage only when the subcommand’s arguments were wrong', async () => {
    const unknown = await run('frobnicate 42');
    expect(flat(unknown.view)).toContain('is not a command I know');
    expect(flat(unknown.view)).not.toContain('Usage');
    const missing = await run('priority T-99999 P1');
    expect(flat(missing.view)).toContain('No ticket T-99999');
    expect(flat(missing.view)).not.toContain('Usage');
    const bad = await run(`priority ${key} P9`);
    expect(flat(bad.view)).toContain('Usage: `priority ID P0-P4`');
  });

  it('renders `code` in errors as code in the playground, Slack and Teams', async () => {
    const r = await run('new', 'U_CUST');
    const ctx: RenderContext = { nameOf: (id) => id, people: [] };
    expect(renderMessageView(r.view, ctx)).toContain('<code>new Checkout fails with error 502</code>');
    const slack = JSON.stringify(renderSlack(r.view).blocks);
    expect(slack).toContain('`new Checkout fails with error 502`');
    expect(slack).not.toContain('\\\\`');
    // Adaptive Card text has no code spans: the code shows as its bare text, not as backticks.
    const teams = JSON.stringify(renderCard(r.view, (id) => ({ id, name: id })).body);
    expect(teams).toContain('e.g. new Checkout fails with error 502.');
    expect(teams).not.toContain('`new');
    // What people typed is still shown literally.
    const typed = await run('*bold* frobnicate');
    expect(renderMessageView(typed.view, ctx)).not.toContain('<strong>');
  });
});
