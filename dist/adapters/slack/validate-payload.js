/**
 * Shape checks for correctly signed Slack requests, run before Bolt sees them. Bolt throws on
 * some malformed payloads (`event: null`, `payload=null`, block_actions without `user`, …) and
 * answers 500, which makes Slack retry; unknown payload types wait 3 s for an ack and then get
 * 404. Here each request is classified, and anything frontdesk cannot act on gets a clear
 * reason that the gate answers with 400 at once.
 */
/** Interactivity payload types Slack sends; the ones frontdesk has listeners for are `handled`. */
const HANDLED_INTERACTIVE = new Set(['block_actions', 'view_submission', 'message_action']);
const KNOWN_INTERACTIVE = new Set([...HANDLED_INTERACTIVE, 'view_closed', 'shortcut', 'block_suggestion', 'interactive_message', 'dialog_submission', 'dialog_cancellation', 'workflow_step_edit']);
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v) => typeof v === 'string' && v.length > 0;
const fail = (reason) => ({ ok: false, reason });
/** A user/channel reference: an id string, or an object with a string `id`. */
function badRef(v) {
    if (v === undefined)
        return false;
    if (isStr(v))
        return false;
    return !(isObj(v) && isStr(v.id));
}
function classifyEvent(body) {
    const event = body.event;
    if (!isStr(body.event_id))
        return fail('event_callback without a string event_id');
    if (!isObj(event))
        return fail('event_callback without an event object (event must be a JSON object)');
    if (!isStr(event.type))
        return fail('event without a string type');
    for (const field of ['channel', 'user'])
        if (field in event && badRef(event[field]))
            return fail(`event.${field} must be an id string or an object with an id`);
    if (event.type === 'message') {
        if (!isStr(event.channel))
            return fail('message event without a channel id');
        for (const field of ['ts', 'thread_ts', 'text', 'subtype'])
            if (field in event && event[field] !== undefined && typeof event[field] !== 'string')
                return fail(`message event: ${field} must be a string`);
        if ('message' in event && event.message !== undefined && !isObj(event.message))
            return fail('message event: message must be an object');
        if ('files' in event && event.files !== undefined && !Array.isArray(event.files))
            return fail('message event: files must be an array');
    }
    if (event.type === 'reaction_added' || event.type === 'reaction_removed') {
        if (!isObj(event.item) || !isStr(event.item.type))
            return fail(`${event.type} event without an item`);
        if (!isStr(event.reaction) || !isStr(event.user))
            return fail(`${event.type} event without a reaction and user`);
    }
    if (event.type === 'app_home_opened' && !isStr(event.user))
        return fail('app_home_opened event without a user');
    return { ok: true, request: { kind: 'event', body, eventId: body.event_id, eventType: event.type } };
}
function classifyInteractive(raw) {
    let p;
    try {
        p = JSON.parse(raw);
    }
    catch {
        return fail('the payload field is not valid JSON');
    }
    if (!isObj(p))
        return fail('the payload field must be a JSON object');
    if (!isStr(p.type))
        return fail('interactive payload without a type');
    if (!KNOWN_INTERACTIVE.has(p.type))
        return fail(`unknown interactive payload type "${p.type.slice(0, 40)}"`);
    if (!isObj(p.user) || !isStr(p.user.id))
        return fail(`${p.type} payload without user.id`);
    if (p.type === 'block_actions') {
        if (!Array.isArray(p.actions) || p.actions.length === 0)
            return fail('block_actions payload without actions');
        for (const a of p.actions)
            if (!isObj(a) || !isStr(a.action_id) || !isStr(a.type))
                return fail('block_actions: every action needs a type and an action_id');
        if ('channel' in p && p.channel !== undefined && p.channel !== null && badRef(p.channel))
            return fail('block_actions: channel must have an id');
        if ('container' in p && p.container !== undefined && !isObj(p.container))
            return fail('block_actions: container must be an object');
        if ('view' in p && p.view !== undefined && !isObj(p.view))
            return fail('block_actions: view must be an object');
        if ('message' in p && p.message !== undefined && !isObj(p.message))
            return fail('block_actions: message must be an object');
    }
    if (p.type === 'view_submission' || p.type === 'view_closed') {
        const v = p.view;
        if (!isObj(v) || !isStr(v.id) || typeof v.callback_id !== 'string')
            return fail(`${p.type} payload without a view (id, callback_id)`);
        if (p.type === 'view_submission' && (!isObj(v.state) || !isObj(v.state.values)))
            return fail('view_submission: view.state.values must be an object');
        if ('private_metadata' in v && v.private_metadata !== undefined && typeof v.private_metadata !== 'string')
            return fail('view_submission: view.private_metadata must be a string');
    }
    if (p.type === 'message_action' || p.type === 'shortcut') {
        if (!isStr(p.callback_id) || !isStr(p.trigger_id))
            return fail(`${p.type} payload without callback_id and trigger_id`);
        if (p.type === 'message_action') {
            if (!isObj(p.channel) || !isStr(p.channel.id))
                return fail('message_action payload without channel.id');
            if (!isObj(p.message) || !isStr(p.message.ts))
                return fail('message_action payload without message.ts');
        }
    }
    const trigger = isStr(p.trigger_id) ? p.trigger_id : null;
    const actionTs = Array.isArray(p.actions) && isObj(p.actions[0]) && isStr(p.actions[0].action_ts) ? p.actions[0].action_ts : '';
    const viewKey = isObj(p.view) && isStr(p.view.id) ? `${p.view.id}:${typeof p.view.hash === 'string' ? p.view.hash : ''}` : '';
    const replayKey = trigger ? `${p.type}:${trigger}:${actionTs}` : viewKey ? `${p.type}:${viewKey}` : null;
    return { ok: true, request: { kind: 'interactive', body: p, type: p.type, replayKey, handled: HANDLED_INTERACTIVE.has(p.type) } };
}
/**
 * Classify a request body Slack signed: Events API (JSON) or slash command / interactivity
 * (form-encoded). `commands` are the slash commands frontdesk has listeners for.
 * @example classifySlackRequest('{"type":"event_callback","event":null}', 'application/json', ['/ticket'])
 * // { ok: false, reason: 'event_callback without a string event_id' }
 */
export function classifySlackRequest(raw, contentType, commands) {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded') {
        const form = new URLSearchParams(raw);
        if (form.has('payload'))
            return classifyInteractive(form.get('payload') ?? '');
        if (form.get('ssl_check') === '1')
            return { ok: true, request: { kind: 'other_callback', body: {} } };
        const command = form.get('command');
        if (!isStr(command))
            return fail('form body without a payload or a command field');
        if (!commands.includes(command))
            return fail(`unknown slash command "${command.slice(0, 40)}"`);
        for (const f of ['user_id', 'channel_id'])
            if (!isStr(form.get(f)))
                return fail(`slash command without ${f}`);
        return { ok: true, request: { kind: 'command', body: Object.fromEntries(form), command, triggerId: form.get('trigger_id') || null } };
    }
    if (type !== 'application/json')
        return fail(`unsupported content-type "${type.slice(0, 60) || '(none)'}": Slack sends application/json or application/x-www-form-urlencoded`);
    let body;
    try {
        body = JSON.parse(raw);
    }
    catch {
        return fail('the body is not valid JSON');
    }
    if (!isObj(body))
        return fail('the body must be a JSON object');
    if (body.type === 'url_verification')
        return isStr(body.challenge) ? { ok: true, request: { kind: 'url_verification', body } } : fail('url_verification without a challenge');
    if (body.type === 'event_callback')
        return classifyEvent(body);
    if (body.type === 'app_rate_limited')
        return { ok: true, request: { kind: 'other_callback', body } };
    return fail(`unknown request type "${String(body.type).slice(0, 40)}"`);
}
//# sourceMappingURL=validate-payload.js.map