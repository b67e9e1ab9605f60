/**
 * Slack settings from the environment, checked up front: a missing or inconsistent variable
 * stops start-up with a message naming the variable to set. Secrets are read here and never
 * logged.
 */
import { FrontdeskError } from '../../src/domain/errors.js';
const SLACK_VARS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'];
/** Does the environment ask for Slack at all (any Slack credential set)? */
export function slackRequested(env) {
    return SLACK_VARS.some((v) => Boolean(env[v]?.trim()));
}
function fail(message) {
    throw new FrontdeskError('frontdesk_config_invalid', `Slack: ${message}`);
}
/**
 * Read and check the Slack variables.
 * @throws FrontdeskError (frontdesk_config_invalid) naming the variable to set
 * @example readSlackSettings({ SLACK_BOT_TOKEN: 'xoxb-…', SLACK_SIGNING_SECRET: '…' }).mode // 'http'
 */
export function readSlackSettings(env) {
    const get = (k) => env[k]?.trim() || null;
    const botToken = get('SLACK_BOT_TOKEN');
    const signingSecret = get('SLACK_SIGNING_SECRET');
    const appToken = get('SLACK_APP_TOKEN');
    const socketFlag = get('SLACK_SOCKET_MODE')?.toLowerCase() ?? null;
    if (!botToken)
        fail('set SLACK_BOT_TOKEN to the app\'s Bot User OAuth Token (xoxb-…, under "OAuth & Permissions").');
    if (!botToken.startsWith('xoxb-'))
        fail('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-" (under "OAuth & Permissions"), not a user or app token.');
    if (socketFlag !== null && !['true', 'false', '1', '0', 'yes', 'no'].includes(socketFlag))
        fail(`SLACK_SOCKET_MODE must be "true" or "false", got "${env.SLACK_SOCKET_MODE}".`);
    const socketWanted = socketFlag === null ? Boolean(appToken) : ['true', '1', 'yes'].includes(socketFlag);
    if (appToken && !appToken.startsWith('xapp-'))
        fail('SLACK_APP_TOKEN must be an app-level token starting with "xapp-" (Basic Information → App-Level Tokens, scope connections:write).');
    if (socketWanted && !appToken)
        fail('SLACK_SOCKET_MODE is true: set SLACK_APP_TOKEN to an app-level token (xapp-…) with the connections:write scope.');
    const mode = socketWanted ? 'socket' : 'http';
    if (mode === 'http' && !signingSecret)
        fail(appToken
            ? 'SLACK_SOCKET_MODE=false selects HTTP mode, which needs SLACK_SIGNING_SECRET (Basic Information → Signing Secret).'
            : 'set SLACK_SIGNING_SECRET (Basic Information → Signing Secret) for HTTP mode, or SLACK_APP_TOKEN (xapp-…) for Socket Mode.');
    let apiUrl = get('SLACK_API_URL');
    if (apiUrl) {
        let u;
        try {
            u = new URL(apiUrl);
        }
        catch {
            fail(`SLACK_API_URL must be a URL like https://slack.com/api/, got "${apiUrl}".`);
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
            fail(`SLACK_API_URL must start with http:// or https://, got "${apiUrl}".`);
        if (!apiUrl.endsWith('/'))
            apiUrl += '/';
        if (!apiUrl.endsWith('/api/'))
            fail(`SLACK_API_URL must end with /api/ (like https://slack.com/api/), got "${env.SLACK_API_URL}".`);
    }
    const botUserId = get('SLACK_BOT_USER_ID');
    if (botUserId && !/^[UW][A-Z0-9]+$/.test(botUserId))
        fail(`SLACK_BOT_USER_ID must be a user id like U0123ABCD, got "${botUserId}". Leave it unset to look it up with auth.test.`);
    return { botToken, signingSecret, appToken, mode, apiUrl, botUserId, botId: get('SLACK_BOT_ID') };
}
//# sourceMappingURL=slack-env.js.map