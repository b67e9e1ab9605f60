-- 0012: known answers (the team's knowledge base). Answers come from Markdown folders
-- (knowledge.paths, `frontdesk knowledge import DIR`) or are saved by agents (`/ticket answer
-- add`, a resolved ticket's resolution note). Never from a customer's words.
-- Times are epoch milliseconds.

CREATE TABLE knowledge_answers (
  seq          INTEGER PRIMARY KEY,         -- the FTS row id
  id           TEXT NOT NULL UNIQUE,        -- front matter id, else file name (+ '#section-slug'), or a saved answer's slug
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  category     TEXT,                        -- NULL = any category
  tags         TEXT NOT NULL DEFAULT '',    -- one per line, as written in the front matter
  terms        TEXT NOT NULL DEFAULT '',    -- normalised content terms (matching), computed on write
  title_terms  TEXT NOT NULL DEFAULT '',    -- the same for title + tags
  source       TEXT NOT NULL CHECK (source IN ('folder','saved')),
  root         TEXT,                        -- folder answers: the folder they were read from
  path         TEXT,                        -- folder answers: file path relative to root
  ticket_id    INTEGER REFERENCES tickets(id), -- saved from a resolved ticket
  created_by   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX knowledge_answers_file ON knowledge_answers (root, path) WHERE root IS NOT NULL;

-- Files already read, so a refresh only re-reads what changed (mtime + size, then content hash).
CREATE TABLE knowledge_files (
  root      TEXT NOT NULL,
  path      TEXT NOT NULL,
  mtime_ms  INTEGER NOT NULL,
  size      INTEGER NOT NULL,
  hash      TEXT NOT NULL,
  problem   TEXT,                           -- why the file's (new) content was not used, if so
  PRIMARY KEY (root, path)
) WITHOUT ROWID;

-- Indexed on the normalised terms (src/knowledge/terms.ts: stemmed, synonyms folded), so the
-- request and the answer meet the same way; bm25 ranks the candidates.
CREATE VIRTUAL TABLE knowledge_fts USING fts5 (title_terms, terms, content='knowledge_answers', content_rowid='seq', tokenize='unicode61');
CREATE TRIGGER knowledge_fts_ai AFTER INSERT ON knowledge_answers BEGIN
  INSERT INTO knowledge_fts (rowid, title_terms, terms) VALUES (new.seq, new.title_terms, new.terms);
  UPDATE counters SET value = value + 1 WHERE name = 'knowledge';
END;
CREATE TRIGGER knowledge_fts_ad AFTER DELETE ON knowledge_answers BEGIN
  INSERT INTO knowledge_fts (knowledge_fts, rowid, title_terms, terms) VALUES ('delete', old.seq, old.title_terms, old.terms);
  UPDATE counters SET value = value + 1 WHERE name = 'knowledge';
END;
CREATE TRIGGER knowledge_fts_au AFTER UPDATE ON knowledge_answers BEGIN
  INSERT INTO knowledge_fts (knowledge_fts, rowid, title_terms, terms) VALUES ('delete', old.seq, old.title_terms, old.terms);
  INSERT INTO knowledge_fts (rowid, title_terms, terms) VALUES (new.seq, new.title_terms, new.terms);
  UPDATE counters SET value = value + 1 WHERE name = 'knowledge';
END;
-- Bumped on every change to the answers: matchers cache corpus statistics per version.
INSERT INTO counters (name, value) VALUES ('knowledge', 0);
