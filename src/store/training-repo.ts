/**
 * Repository for `training_examples`: the labelled texts the triage learner trains on
 * (imported history, agents' corrections). Append-only from the app's point of view.
 */
import type { Db as Database } from './db.js';
import type { Priority } from '../domain/types.js';
import type { TrainingExample, TrainingExampleInput } from '../ports/store-ai.js';

export type { TrainingExample, TrainingExampleInput };

interface Row {
  id: number;
  text: string;
  category: string | null;
  priority: string | null;
  source: string;
  ticket_id: number | null;
  created_at: number;
  channel_id?: string | null;
}

const toExample = (r: Row): TrainingExample => ({
  id: r.id,
  text: r.text,
  category: r.category,
  priority: r.priority as Priority | null,
  source: r.source,
  ticketId: r.ticket_id,
  createdAt: r.created_at,
  ...(r.channel_id === undefined ? {} : { channelId: r.channel_id }),
});

/**
 * Store and read training examples.
 * @example new TrainingRepo(db).add({ text: 'charged twice', category: 'billing', source: 'correction' }, Date.now())
 */
export class TrainingRepo {
  private readonly insert;
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(
      'INSERT INTO training_examples (text, category, priority, source, ticket_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Store one example; returns its id. */
  add(ex: TrainingExampleInput, at: number): number {
    const r = this.insert.run(ex.text, ex.category ?? null, ex.priority ?? null, ex.source, ex.ticketId ?? null, at);
    return Number(r.lastInsertRowid);
  }

  /**
   * Store many examples in ONE transaction (all or nothing). `onProgress(done)` is called
   * every `batch` rows so a caller can draw a progress bar.
   * @returns how many were stored.
   */
  addMany(examples: Iterable<TrainingExampleInput>, at: number, onProgress?: (done: number) => void, batch = 1000): number {
    let n = 0;
    this.db.transaction(() => {
      for (const ex of examples) {
        this.add(ex, at);
        n++;
        if (onProgress && n % batch === 0) onProgress(n);
      }
    })();
    onProgress?.(n);
    return n;
  }

  /** Every example, oldest first (streamed). */
  *all(): IterableIterator<TrainingExample> {
    for (const r of this.db.prepare('SELECT * FROM training_examples ORDER BY id').iterate() as IterableIterator<Row>) yield toExample(r);
  }

  /**
   * The most recent `limit` examples, oldest first (what the learner retrains on), each with
   * its ticket's channel (`channelId`, null for an example without a ticket).
   */
  recent(limit: number): TrainingExample[] {
    const rows = this.db
      .prepare(
        'SELECT e.*, t.channel_id AS channel_id FROM (SELECT * FROM training_examples ORDER BY id DESC LIMIT ?) e LEFT JOIN tickets t ON t.id = e.ticket_id ORDER BY e.id',
      )
      .all(limit) as Row[];
    return rows.map(toExample);
  }

  /** Number of stored examples. */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM training_examples').get() as { n: number }).n;
  }
}
