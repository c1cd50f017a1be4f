-- Schema 8. Members' answers to a week's meeting ("Going" / "Not this week"): one row per group, week and member,
-- so a new answer replaces the old. Group-owned (Tables.GroupOwned), so tenant removal clears it.
CREATE TABLE rsvps (
    group_id text        NOT NULL,
    week     text        NOT NULL,
    member   text        NOT NULL,
    answer   text        NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (group_id, week, member)
);
