import { localAdapter } from './local/index.js';
import { slackAdapter } from './slack/index.js';
import { teamsAdapter } from './teams/index.js';
/** Adapters in start order. Slack and Teams add themselves here; local runs when neither is configured. */
export const ADAPTERS = [slackAdapter, teamsAdapter, localAdapter];
//# sourceMappingURL=registry.js.map