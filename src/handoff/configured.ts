/** Whether the engineering hand-off has somewhere to hand tickets to (buttons on prompts and plans are offered only then). */
import type { FrontdeskConfig } from '../config/schema.js';

/**
 * Is any issue tracker configured?
 * @example trackersConfigured(parseConfig({ trackers: { github: { repo: 'acme/app' } } })) // true
 */
export function trackersConfigured(config: Pick<FrontdeskConfig, 'trackers'>): boolean {
  return Boolean(config.trackers.github || config.trackers.jira || config.trackers.linear);
}
