/** The smallest view: one block of text (errors, confirmations). A module of its own so every view can use it. */
import type { MessageView } from '../ports/message-view.js';

/** A one-block notice (errors, confirmations). */
export function notice(text: string): MessageView {
  return { text: text.replace(/\*\*/g, ''), blocks: [{ type: 'text', text }] };
}
