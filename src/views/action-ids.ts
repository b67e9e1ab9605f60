/**
 * Every action id and form id in one place, namespaced by the view that owns it.
 * Adapters route on these; the core handles them in src/commands/handle-action.ts.
 */
export const ACTIONS = {
  assignMe: 'ticket.assign_me',
  acknowledge: 'ticket.acknowledge',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  escalate: 'ticket.escalate',
  priority: 'ticket.priority',
  category: 'ticket.category',
  plan: 'ticket.plan',
  draftSend: 'draft.send',
  draftEdit: 'draft.edit',
  draftDiscard: 'draft.discard',
  draftRegenerate: 'draft.regenerate',
  /** The card's "Suggested reply" button: shows the pending draft to the agent who clicks. */
  draftShow: 'draft.show',
  escalationTake: 'escalation.take',
  escalationReassign: 'escalation.reassign',
  escalationSnooze: 'escalation.snooze',
  escalationNote: 'escalation.note',
  escalationAccept: 'escalation.accept',
  escalationDecline: 'escalation.decline',
  escalationLinkIncident: 'escalation.link_incident',
  followUpCreate: 'plan.follow_up_create',
  digestTake: 'digest.take',
  digestSnooze: 'digest.snooze',
  /** The customer's satisfaction answer: value `T-1042|1`..`T-1042|5`. */
  csatRate: 'csat.rate',
  /** The customer says the fix did not work: reopens the ticket. */
  csatStillBroken: 'csat.still_broken',
  /** Opens the resolution-note form for a resolved ticket. */
  resolutionNote: 'ticket.resolution_note',
  /** Resolve a ticket someone else owns, after the confirm step: value `T-1042|note`. */
  resolveConfirmed: 'ticket.resolve_confirmed',
  /** Reassign a ticket someone else owns, after the confirm step: value `T-1042|U123`. */
  reassignConfirmed: 'ticket.reassign_confirmed',
  /** Reassign from an escalation prompt a ticket someone else owns, after the confirm step: value `T-1042|17|U123`. */
  escalationReassignConfirmed: 'escalation.reassign_confirmed',
  /** The internal card's "Reply to customer" button (opens the reply form). */
  replyToCustomer: 'ticket.reply_to_customer',
  /** The customer's "✅ That solved it" under an offered known answer (only the requester may click). */
  answerSolved: 'knowledge.solved',
  /** The customer's "🙋 I still need help" under an offered known answer. */
  answerNeedHelp: 'knowledge.need_help',
  /** The internal card's "Send answer": a suggested known answer to the customer, in the agent's name. */
  answerSend: 'knowledge.send',
  /** "Save as known answer" on a resolved card (opens the form pre-filled from the resolution note). */
  answerSave: 'knowledge.save',
  /** The digest's "Write an answer" for a documentation gap (the same form). */
  answerWrite: 'knowledge.write',
  /** "Escalate to engineering" (card, triage prompt): opens the issue preview. Value `T-1042` or `T-1042|<escalation id>`. */
  handoffEscalate: 'handoff.escalate',
  /** "Link to issue…": opens the search form. Value `T-1042`. */
  handoffLink: 'handoff.link',
  /** A search result's "Link": value `T-1042|github|acme/app#12`. */
  handoffPick: 'handoff.pick',
  /** "Link all N similar tickets" (card, cluster prompt): value `T-1042` or `T-1042|<escalation id>`. */
  handoffLinkSimilar: 'handoff.link_similar',
  /** A plan follow-up's "Create issue": value `<planId>|<index>`. */
  followUpIssue: 'plan.follow_up_issue',
  /** Hear back from trackers: send the drafted "the fix is live" update to the customer, value `T-1042|<prompt>`. */
  fixUpdateSend: 'fix_update.send',
  /** Open the fix-update form pre-filled with the draft. */
  fixUpdateEdit: 'fix_update.edit',
  /** Do not tell the customer (recorded on the timeline). */
  fixUpdateDismiss: 'fix_update.dismiss',
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];

export const FORMS = {
  createTicket: 'form.create_ticket',
  editDraft: 'form.edit_draft',
  reassign: 'form.reassign',
  addNote: 'form.add_note',
  resolutionNote: 'form.resolution_note',
  replyToCustomer: 'form.reply_to_customer',
  saveAnswer: 'form.save_answer',
  /** The engineering issue preview (title and body, editable; created on submit). */
  handoffPreview: 'form.handoff_preview',
  /** "Link to existing issue": the search box. */
  handoffSearch: 'form.handoff_search',
  /** The edited "the fix is live" customer update (hear back from trackers). */
  fixUpdate: 'form.fix_update',
} as const;

export type FormId = (typeof FORMS)[keyof typeof FORMS];
