-- Schema 9. Members' "not for me": a negative example for their recommendations, hidden from their lists.
CREATE TABLE dislikes (
    group_id  text        NOT NULL,
    member    text        NOT NULL,
    paper_key text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (group_id, member, paper_key)
);
