/** Typed errors with stable codes. Messages say what to do about it. */
export class FrontdeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConfigInvalidError extends FrontdeskError {
  constructor(readonly problems: string[], source: string) {
    super('frontdesk_config_invalid', `Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export class TransitionInvalidError extends FrontdeskError {
  constructor(readonly from: string, readonly to: string, ticketKey: string, allowed: readonly string[]) {
    super(
      'frontdesk_ticket_transition_invalid',
      `${ticketKey} cannot move from ${from} to ${to}. From ${from} it can go to: ${allowed.join(', ') || 'nothing (reopen it first)'}.`,
    );
  }
}

export class TicketNotFoundError extends FrontdeskError {
  constructor(ref: string) {
    super('frontdesk_ticket_not_found', `No ticket ${ref}. Ticket ids look like T-1042; try \`/ticket list\`.`);
  }
}

export class InputInvalidError extends FrontdeskError {
  constructor(message: string) {
    super('frontdesk_input_invalid', message);
  }
}

export class NotPermittedError extends FrontdeskError {
  constructor(message: string) {
    super('frontdesk_not_permitted', message);
  }
}

export class DatabaseError extends FrontdeskError {}

/** Errors a ChatPort raises so the outbox knows whether to retry. */
export class ChatDeliveryError extends FrontdeskError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(retryable ? 'frontdesk_chat_retryable' : 'frontdesk_chat_failed', message);
  }
}
