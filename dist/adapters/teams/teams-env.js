/**
 * Microsoft Teams settings from the environment, checked up front. botbuilder silently turns
 * authentication OFF when the app id is missing; frontdesk never lets that happen by accident:
 * running without an app id needs the explicit FRONTDESK_TEAMS_INSECURE_LOCAL=1 test mode,
 * and a half-configured setup stops start-up with a message naming the variable to set.
 * Secrets are read here and never logged.
 */
import { FrontdeskError } from '../../src/domain/errors.js';
/** The variable that enables the unauthenticated local test mode. */
export const INSECURE_LOCAL_VAR = 'FRONTDESK_TEAMS_INSECURE_LOCAL';
const TEAMS_VARS = ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE', INSECURE_LOCAL_VAR];
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** Does the environment ask for Teams at all (any Teams variable set)? */
export function teamsRequested(env) {
    return TEAMS_VARS.some((v) => Boolean(env[v]?.trim()));
}
function fail(message) {
    throw new FrontdeskError('frontdesk_config_invalid', `Microsoft Teams: ${message}`);
}
/** Is this host name a loopback address? */
export function isLoopbackHost(host) {
    return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/**
 * Read and check the Teams variables.
 * @throws FrontdeskError (frontdesk_config_invalid) naming the variable to set
 * @example readTeamsSettings({ MICROSOFT_APP_ID: '…guid…', MICROSOFT_APP_PASSWORD: '…', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: '…guid…' }).mode // 'secure'
 */
export function readTeamsSettings(env) {
    const get = (k) => env[k]?.trim() || null;
    const insecureRaw = get(INSECURE_LOCAL_VAR);
    if (insecureRaw !== null && !['1', 'true', '0', 'false'].includes(insecureRaw.toLowerCase()))
        fail(`${INSECURE_LOCAL_VAR} must be 1 (or unset), got "${insecureRaw}".`);
    const insecure = insecureRaw === '1' || insecureRaw?.toLowerCase() === 'true';
    const appId = get('MICROSOFT_APP_ID');
    const password = get('MICROSOFT_APP_PASSWORD');
    const tenantId = get('MICROSOFT_APP_TENANT_ID');
    const typeRaw = get('MICROSOFT_APP_TYPE');
    if (insecure) {
        if (appId || password || tenantId || typeRaw)
            fail(`${INSECURE_LOCAL_VAR}=1 turns authentication off and cannot be combined with MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD/MICROSOFT_APP_TENANT_ID/MICROSOFT_APP_TYPE. Unset ${INSECURE_LOCAL_VAR} to run with real credentials.`);
        if (env.NODE_ENV === 'production')
            fail(`${INSECURE_LOCAL_VAR}=1 is refused when NODE_ENV=production: it accepts unauthenticated requests.`);
        const host = get('HOST');
        if (host && !isLoopbackHost(host))
            fail(`${INSECURE_LOCAL_VAR}=1 only listens on loopback (127.0.0.1), but HOST is "${host}". Unset HOST or set it to 127.0.0.1.`);
        return { mode: 'insecure-local', appId: '', password: null, tenantId: null, appType: 'MultiTenant' };
    }
    if (!appId)
        fail(`set MICROSOFT_APP_ID to the bot's Microsoft App ID (Azure Bot → Configuration). Without it botbuilder would accept unauthenticated requests; for local tests against a fake connector set ${INSECURE_LOCAL_VAR}=1 instead.`);
    if (!GUID.test(appId))
        fail(`MICROSOFT_APP_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "${appId}".`);
    let appType = 'MultiTenant';
    if (typeRaw) {
        const match = APP_TYPES.find((t) => t.toLowerCase() === typeRaw.toLowerCase());
        if (!match)
            fail(`MICROSOFT_APP_TYPE must be one of ${APP_TYPES.join(', ')}, got "${typeRaw}".`);
        appType = match;
    }
    else if (tenantId) {
        appType = 'SingleTenant';
    }
    if (tenantId && !GUID.test(tenantId))
        fail(`MICROSOFT_APP_TENANT_ID must be the directory (tenant) GUID, got "${tenantId}".`);
    if (appType === 'UserAssignedMSI') {
        if (password)
            fail('MICROSOFT_APP_TYPE=UserAssignedMSI uses a managed identity: unset MICROSOFT_APP_PASSWORD.');
        if (!tenantId)
            fail('MICROSOFT_APP_TYPE=UserAssignedMSI needs MICROSOFT_APP_TENANT_ID (the directory/tenant id).');
    }
    else {
        if (!password)
            fail('set MICROSOFT_APP_PASSWORD to a client secret of the bot\'s app registration (Azure Bot → Configuration → Manage Password).');
        if (appType === 'SingleTenant' && !tenantId)
            fail('MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID (the directory/tenant id of the app registration).');
        if (appType === 'MultiTenant' && tenantId)
            fail('MICROSOFT_APP_TENANT_ID is set but MICROSOFT_APP_TYPE is MultiTenant: set MICROSOFT_APP_TYPE=SingleTenant, or unset the tenant id.');
    }
    return { mode: 'secure', appId, password, tenantId, appType };
}
//# sourceMappingURL=teams-env.js.map