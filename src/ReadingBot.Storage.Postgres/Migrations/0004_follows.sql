-- Schema 4. Followed researchers and topics (a member's, or the group's own under the owner '*group'), and the new
-- papers found for them: one row per owner and paper, however many refreshes, versions or categories bring it.
CREATE TABLE follows (
    group_id   text        NOT NULL,
    owner      text        NOT NULL,
    kind       text        NOT NULL,
    follow_key text        NOT NULL,
    text       text        NOT NULL,
    added_by   text        NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (group_id, owner, kind, follow_key)
);

CREATE TABLE follow_matches (
    group_id  text        NOT NULL,
    owner     text        NOT NULL,
    paper_key text        NOT NULL,
    title     text        NOT NULL,
    url       text        NOT NULL,
    arxiv_id  text,
    why       text        NOT NULL,
    found_at  timestamptz NOT NULL,
    PRIMARY KEY (group_id, owner, paper_key)
);

CREATE INDEX follow_matches_found ON follow_matches (group_id, owner, found_at);
