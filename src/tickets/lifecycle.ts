/** Moved to src/domain/lifecycle.ts; kept as a re-export while other branches still import it from here. */
export * from '../domain/lifecycle.js';
