/**
 * What the playground sets up on a core, shared by the local adapter (`npm start`) and
 * `frontdesk demo`: the demo people, a private #triage channel when the configuration names no
 * triage channel (so the two audiences show out of the box), a #leads channel for the leads'
 * digest when the configuration names no digest channel, and the bot time the playground shows.
 */
import type { Core } from '../app.js';
import { registerDemoPeople } from './people.js';
import type { PlaygroundStore } from './playground-store.js';

/** Where the digest goes in the playground when the configuration names no digest channel. */
export const PLAYGROUND_DIGEST_CHANNEL = 'leads';

/** The playground's private triage channel (when the configuration names none): agents work tickets there. */
export const PLAYGROUND_TRIAGE_CHANNEL = 'triage';

/** The setting under which the playground remembers how far its clock runs ahead of real time. */
export const CLOCK_AHEAD_SETTING = 'clock.aheadMs';

/**
 * Prepare a core for the playground. A configured digest channel is left alone; without one
 * the digest goes to #leads; without a triage channel, agents work in #triage (unless
 * `triage: false`: inline mode). Both change the in-memory config of this process only.
 * @example applyPlaygroundDefaults(core, new PlaygroundStore(core.db))
 */
export function applyPlaygroundDefaults(core: Core, store: PlaygroundStore, opts: { triage?: boolean } = {}): void {
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
}

/** How far the playground's clock was moved ahead of real time (never negative). */
export function playgroundAheadMs(store: PlaygroundStore): number {
  const v = Number(store.setting(CLOCK_AHEAD_SETTING) ?? 0);
  return Number.isFinite(v) && v > 0 ? v : 0;
}
