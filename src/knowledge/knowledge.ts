/**
 * The known-answers feature as one handle (built by createKnowledge in ./install.ts). In its own
 * module so the parts the installer wires up (offers, handlers) can name it without importing
 * the installer.
 */
import type { Priority } from '../domain/types.js';
import type { KnowledgeBase, SyncReport } from './knowledge-base.js';
import type { AnswerMatcher, MatchDecision } from './match.js';

export interface Knowledge {
  kb: KnowledgeBase;
  matcher: AnswerMatcher;
  /** Re-read the configured folders (only changed files). A missing folder is a problem in its report. */
  refresh(): SyncReport[];
  /**
   * Decide for a request and its triage (category, priority): the security flag comes from
   * the category and the escalation keywords.
   * @example knowledge.decideFor(ticket.text, ticket) // { offer, answer, explanation, … }
   */
  decideFor(text: string, triage: { category: string; priority: Priority }): MatchDecision;
}
