/**
 * Moved: the MessageView vocabulary is src/ports/message-view.ts and `truncate` is in
 * src/util/text.ts. This re-export stays while other branches still import from here.
 */
export * from '../ports/message-view.js';
export { truncate } from '../util/text.js';
