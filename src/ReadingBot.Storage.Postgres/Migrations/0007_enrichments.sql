-- Schema 7. Semantic Scholar's facts about the shared paper records (TLDR, citation counts with the time they were
-- read, venue, open-access PDF); a row with found = false remembers that it does not know the paper. Not
-- group-owned: a paper's citations are the same for every group.
CREATE TABLE enrichments (
    paper_key       text        PRIMARY KEY,
    read_at         timestamptz NOT NULL,
    found           boolean     NOT NULL,
    tldr            text,
    citations       integer,
    influential     integer,
    venue           text,
    open_access_pdf text
);

CREATE INDEX enrichments_read_at ON enrichments (read_at);
