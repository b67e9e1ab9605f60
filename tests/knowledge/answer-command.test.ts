/** `/ticket answer add|list|show|remove` through the shared command parser, on a real core. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { installKnowledge } from '../../src/knowledge/install.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { scratchFolder } from './helpers.js';

const flat = (v: MessageView) => JSON.stringify(v.blocks);

describe('/ticket answer', () => {
  let t: TestCore;
  let folder: ReturnType<typeof scratchFolder>;
  const run = (text: string, user = 'U_AGENT1') => runCommand(t.core.commands, t.core.tickets, text, { platform: 'local', userId: user, channelId: 'support' });
  beforeEach(() => {
    folder = scratchFolder();
    folder.write('export-data.md', '---\ncategory: data\n---\n# Export your data\nSettings, Workspace, Export.');
    t = makeTestCore({ knowledge: { paths: [folder.dir] } });
    installKnowledge(t.core, { schedule: false });
  });
  afterEach(async () => {
    await t.core.close();
    folder.cleanup();
  });

  it('is for agents only', async () => {
    const r = await run('answer list', 'U_CUST');
    expect(flat(r.view)).toContain('is for support agents');
  });

  it('adds, lists, shows and removes answers; folder answers are listed but not removable', async () => {
    expect(flat((await run('answer list')).view)).toContain('export-data');
    const added = await run('answer add billing "Download invoices" Settings → Billing → Billing history → Download PDF.');
    expect(added.visibility).toBe('ephemeral');
    expect(flat(added.view)).toContain('Saved the known answer **Download invoices** (`download-invoices`, billing)');
    expect(flat((await run('answer list billing')).view)).toContain('download-invoices');
    expect(flat((await run('answer list billing')).view)).not.toContain('export-data');
    expect(flat((await run('answer show download-invoices')).view)).toContain('Billing history');
    expect(flat((await run('answer remove export-data')).view)).toContain('delete or edit that file instead');
    expect(flat((await run('answer remove download-invoices')).view)).toContain('Removed the known answer');
    expect(flat((await run('answer show download-invoices')).view)).toContain('There is no answer');
  });

  it('explains bad input with the usage', async () => {
    expect(flat((await run('answer add Download invoices')).view)).toContain('Put the title in quotes');
    expect(flat((await run('answer add nonsense "T" body')).view)).toContain('\\"nonsense\\" is not a category');
    expect(flat((await run('answer add "Title only"')).view)).toContain('Write the answer after the title');
    expect(flat((await run('answer frob')).view)).toContain('Usage: `answer add');
  });

  it("saves a resolved ticket's resolution note (not the customer's text) under the agent's title", async () => {
    const tk = t.core.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'U_CUST', text: 'Priya from Globex: our SSO login loops forever', force: true }).ticket!;
    expect(flat((await run(`answer add ${tk.key} "SSO login loops"`)).view)).toContain('is not resolved yet');
    t.core.tickets.resolve(tk.key, 'U_AGENT1', 'Clear the identity provider session cookie, then sign in from the Quillboard page.');
    expect(flat((await run(`answer add ${tk.key} "SSO login loops" extra words`)).view)).toContain('give only a title');
    const r = await run(`answer add ${tk.key} "SSO login loops"`);
    expect(flat(r.view)).toContain(`Saved ${tk.key}'s resolution note as the known answer **SSO login loops**`);
    const k = installKnowledge(t.core);
    const a = k.kb.get('sso-login-loops')!;
    expect(a.body).toBe('Clear the identity provider session cookie, then sign in from the Quillboard page.');
    expect(a.ticketId).toBe(tk.id);
    expect(JSON.stringify(a)).not.toContain('Priya');
  });

  it('re-reads the folders on the knowledge-refresh job', async () => {
    const tc = makeTestCore({ knowledge: { paths: [folder.dir], refresh: '0 0 1 1 *' } });
    try {
      const k = installKnowledge(tc.core, { schedule: true });
      expect(tc.core.scheduler.jobs().map((j) => j.name)).toContain('knowledge-refresh');
      folder.write('timezone.md', '# Change your time zone\nProfile, Preferences, Time zone.');
      expect(k.kb.get('timezone')).toBeNull();
      await tc.core.scheduler.runNow('knowledge-refresh');
      expect(k.kb.get('timezone')!.title).toBe('Change your time zone');
    } finally {
      await tc.core.close();
    }
  });
});
