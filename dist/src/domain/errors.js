/** Typed errors with stable codes. Messages say what to do about it. */
export class FrontdeskError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = new.target.name;
    }
}
export class ConfigInvalidError extends FrontdeskError {
    problems;
    constructor(problems, source) {
        super('frontdesk_config_invalid', `Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        this.problems = problems;
    }
}
export class TransitionInvalidError extends FrontdeskError {
    from;
    to;
    constructor(from, to, ticketKey, allowed) {
        super('frontdesk_ticket_transition_invalid', `${ticketKey} cannot move from ${from} to ${to}. From ${from} it can go to: ${allowed.join(', ') || 'nothing (reopen it first)'}.`);
        this.from = from;
        this.to = to;
    }
}
export class TicketNotFoundError extends FrontdeskError {
    constructor(ref) {
        super('frontdesk_ticket_not_found', `No ticket ${ref}. Ticket ids look like T-1042; try \`/ticket list\`.`);
    }
}
export class InputInvalidError extends FrontdeskError {
    constructor(message) {
        super('frontdesk_input_invalid', message);
    }
}
export class NotPermittedError extends FrontdeskError {
    constructor(message) {
        super('frontdesk_not_permitted', message);
    }
}
export class DatabaseError extends FrontdeskError {
}
/** Errors a ChatPort raises so the outbox knows whether to retry. */
export class ChatDeliveryError extends FrontdeskError {
    retryable;
    retryAfterMs;
    constructor(message, retryable, retryAfterMs) {
        super(retryable ? 'frontdesk_chat_retryable' : 'frontdesk_chat_failed', message);
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
    }
}
//# sourceMappingURL=errors.js.map