import type { FrontdeskConfig } from './schema.js';

/**
 * Which channels turn requests into tickets, in words (the start-up banner, the playground's
 * explanation when someone posts elsewhere).
 * @example describeSupportChannels(config) // 'every channel the bot is in (config `channels` is empty)'
 */
export function describeSupportChannels(config: FrontdeskConfig): string {
  if (config.channels.length === 0) return 'every channel the bot is in (config `channels` is empty)';
  return config.channels.map((c) => (/^[a-z0-9_-]+$/.test(c.id) ? `#${c.id}` : c.id)).join(', ');
}
