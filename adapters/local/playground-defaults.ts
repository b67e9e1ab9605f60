/**
 * What the playground sets up on a core, shared by the local adapter (`npm start`) and
 * `frontdesk demo`: the demo people, a private #triage channel when the configuration names no
 * triage channel (so the two audiences show out of the box), a #leads channel for the leads'
 * digest when the configuration names no digest channel, #support as a support channel when the
 * configuration names only Slack/Teams channels, the sample known answers (examples/knowledge)
 * when the configuration names no knowledge folders, and the bot time the playground shows.
 */
import { existsSync } from 'node:fs';
import type { Core } from '../../src/app.js';
import { registerDemoPeople } from './people.js';
import type { PlaygroundStore } from './playground-store.js';

/** Where the digest goes in the playground when the configuration names no digest channel. */
export const PLAYGROUND_DIGEST_CHANNEL = 'leads';

/** The playground's private triage channel (when the configuration names none): agents work tickets there. */
export const PLAYGROUND_TRIAGE_CHANNEL = 'triage';
/** The playground's own support channel (the page opens on it). */
export const PLAYGROUND_SUPPORT_CHANNEL = 'support';

/** The sample known answers the playground offers when the configuration names no `knowledge.paths`. */
export const PLAYGROUND_KNOWLEDGE_DIR = 'examples/knowledge';

/** The setting under which the playground remembers how far its clock runs ahead of real time. */
export const CLOCK_AHEAD_SETTING = 'clock.aheadMs';

/**
 * Prepare a core for the playground. A configured digest channel is left alone; without one
 * the digest goes to #leads; without a triage channel, agents work in #triage (unless
 * `triage: false`: inline mode); without knowledge folders, the sample answers are used (unless
 * `knowledge: false`). Both change the in-memory config of this process only.
 * @example applyPlaygroundDefaults(core, new PlaygroundStore(core.db))
 */
export function applyPlaygroundDefaults(core: Core, store: PlaygroundStore, opts: { triage?: boolean; knowledge?: boolean } = {}): void {
  registerDemoPeople(core.directory);
  // Two audiences out of the box: customers see an acknowledgement and agents' replies; agents work in #triage.
  if (opts.triage !== false && !core.config.triageChannel && !core.config.channels.some((c) => c.triageChannel)) {
    core.config.triageChannel = PLAYGROUND_TRIAGE_CHANNEL;
    store.ensureChannel(PLAYGROUND_TRIAGE_CHANNEL, core.clock.now(), 'Agents only: each ticket’s card, prompts, pings, plans and drafts. Customers never see this channel.');
  }
  if (core.config.digest.channels.length === 0) {
    core.config.digest.channels.push(`local:${PLAYGROUND_DIGEST_CHANNEL}`);
    store.ensureChannel(PLAYGROUND_DIGEST_CHANNEL, core.clock.now(), 'The leads’ daily digest lands here (the playground’s default digest channel).');
  }
  // Known answers out of the box: the sample folder, when run from the repository.
  if (opts.knowledge !== false && core.config.knowledge.paths.length === 0 && existsSync(PLAYGROUND_KNOWLEDGE_DIR))
    core.config.knowledge.paths.push(PLAYGROUND_KNOWLEDGE_DIR);
  // A configuration written for Slack or Teams (e.g. a copy of frontdesk.config.example.yaml)
  // names channels the playground does not have: keep #support a support channel, or the
  // playground would silently stop opening tickets.
  const chans = core.config.channels;
  if (chans.length > 0 && !chans.some((c) => c.id === PLAYGROUND_SUPPORT_CHANNEL || store.channel(c.id)?.kind === 'channel'))
    chans.push({ id: PLAYGROUND_SUPPORT_CHANNEL, team: core.config.routing.defaultTeam, vip: false });
}

/** How far the playground's clock was moved ahead of real time (never negative). */
export function playgroundAheadMs(store: PlaygroundStore): number {
  const v = Number(store.setting(CLOCK_AHEAD_SETTING) ?? 0);
  return Number.isFinite(v) && v > 0 ? v : 0;
}
