-- Schema 1. Every group-owned table's primary key starts with group_id, so the schema can be distributed by tenant
-- (Citus: create_distributed_table(t, 'group_id')) without change; groups, papers, paper_aliases, deliveries and
-- adapter_state are shared (Citus reference tables). Week keys are stored as 'YYYY-Www' text, which sorts in week order.

CREATE TABLE groups (
    group_id          text        PRIMARY KEY,
    platform          text        NOT NULL,
    workspace         text        NOT NULL,
    scope             text        NOT NULL,
    created_at        timestamptz NOT NULL,
    next_paper_number integer     NOT NULL,
    settings          jsonb       NOT NULL
);

CREATE TABLE members (
    group_id     text        NOT NULL,
    user_id      text        NOT NULL,
    display_name text        NOT NULL,
    joined_at    timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    settings     jsonb       NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE papers (
    paper_key       text        PRIMARY KEY,
    source          text        NOT NULL,
    url             text        NOT NULL,
    title           text,
    authors         text[]      NOT NULL,
    abstract        text,
    year            integer,
    venue           text,
    published       timestamptz,
    updated         timestamptz,
    categories      text[]      NOT NULL,
    pdf_url         text,
    doi             text,
    arxiv_id        text,
    journal_ref     text,
    latest_version  text,
    state           text        NOT NULL,
    attempts        integer     NOT NULL,
    next_attempt_at timestamptz,
    last_error      text,
    fetched_at      timestamptz
);
CREATE INDEX papers_pending ON papers (next_attempt_at) WHERE state = 'Pending';
CREATE INDEX papers_doi ON papers (doi) WHERE doi IS NOT NULL;

CREATE TABLE paper_aliases (
    removed_key text PRIMARY KEY,
    target_key  text NOT NULL
);
CREATE INDEX paper_aliases_target ON paper_aliases (target_key);

CREATE TABLE deliveries (
    delivery_key text        PRIMARY KEY,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX deliveries_expires ON deliveries (expires_at);

CREATE TABLE adapter_state (
    state_key text PRIMARY KEY,
    value     text NOT NULL
);

CREATE TABLE library (
    group_id     text        NOT NULL,
    number       integer     NOT NULL,
    paper_key    text        NOT NULL,
    added_by     text        NOT NULL,
    added_at     timestamptz NOT NULL,
    given_title  text,
    version_read text,
    PRIMARY KEY (group_id, number),
    UNIQUE (group_id, paper_key)
);
CREATE INDEX library_paper ON library (paper_key);

CREATE TABLE threads (
    group_id   text        NOT NULL,
    thread_id  text        NOT NULL,
    purpose    text        NOT NULL,
    subject    text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, thread_id)
);

CREATE TABLE suggestions (
    group_id     text        NOT NULL,
    paper_key    text        NOT NULL,
    suggested_by text        NOT NULL,
    why          text,
    suggested_at timestamptz NOT NULL,
    voters       text[]      NOT NULL,
    state        text        NOT NULL,
    PRIMARY KEY (group_id, paper_key)
);
CREATE INDEX suggestions_paper ON suggestions (paper_key);

CREATE TABLE week_plans (
    group_id    text        NOT NULL,
    week        text        NOT NULL,
    state       text        NOT NULL,
    paper_key   text,
    picked_by   text,
    picked_at   timestamptz,
    auto_picked boolean     NOT NULL,
    presenter   text,
    channel_id  text,
    thread_id   text,
    PRIMARY KEY (group_id, week)
);
CREATE INDEX week_plans_paper ON week_plans (paper_key);

CREATE TABLE discussion (
    group_id  text        NOT NULL,
    note_id   bigint      GENERATED ALWAYS AS IDENTITY,
    paper_key text        NOT NULL,
    week      text        NOT NULL,
    author    text        NOT NULL,
    text      text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (group_id, note_id)
);
CREATE INDEX discussion_group_paper ON discussion (group_id, paper_key);
CREATE INDEX discussion_group_week ON discussion (group_id, week);
CREATE INDEX discussion_paper ON discussion (paper_key);

CREATE TABLE presenters (
    group_id       text        NOT NULL,
    user_id        text        NOT NULL,
    volunteered_at timestamptz NOT NULL,
    last_presented text,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE scheduled_posts (
    group_id text        NOT NULL,
    post_key text        NOT NULL,
    week     text        NOT NULL,
    kind     text        NOT NULL,
    state    text        NOT NULL,
    at       timestamptz NOT NULL,
    detail   text,
    PRIMARY KEY (group_id, post_key)
);
-- Find and Complete name the key alone (it embeds the group).
CREATE INDEX scheduled_posts_key ON scheduled_posts (post_key);
CREATE INDEX scheduled_posts_recent ON scheduled_posts (group_id, at DESC);

CREATE TABLE wayr_weeks (
    group_id   text        NOT NULL,
    week       text        NOT NULL,
    number     integer     NOT NULL,
    closed     boolean     NOT NULL,
    channel_id text,
    thread_id  text,
    closed_at  timestamptz,
    PRIMARY KEY (group_id, week)
);

CREATE TABLE wayr_posts (
    group_id  text        NOT NULL,
    week      text        NOT NULL,
    number    integer     NOT NULL,
    author    text        NOT NULL,
    paper_key text,
    status    text        NOT NULL,
    note      text        NOT NULL,
    at        timestamptz NOT NULL,
    edited_at timestamptz,
    PRIMARY KEY (group_id, week, number)
);
CREATE INDEX wayr_posts_group_paper ON wayr_posts (group_id, paper_key);
CREATE INDEX wayr_posts_paper ON wayr_posts (paper_key);

CREATE TABLE progress (
    group_id  text        NOT NULL,
    member    text        NOT NULL,
    paper_key text        NOT NULL,
    pass      text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (group_id, member, paper_key)
);
CREATE INDEX progress_group_paper ON progress (group_id, paper_key);
CREATE INDEX progress_paper ON progress (paper_key);
-- Finished readings by group and time: a chart of recent weeks reads one index range.
CREATE INDEX progress_finished ON progress (group_id, at) WHERE pass = 'Done';

CREATE TABLE digests (
    group_id   text        NOT NULL,
    week       text        NOT NULL,
    number     integer     NOT NULL,
    title      text        NOT NULL,
    sections   jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, week)
);

CREATE TABLE ledger (
    group_id text        NOT NULL,
    member   text        NOT NULL,
    week     text        NOT NULL,
    result   text        NOT NULL,
    reason   text        NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (group_id, member, week)
);
CREATE INDEX ledger_group_week ON ledger (group_id, week);

CREATE TABLE streaks (
    group_id  text    NOT NULL,
    member    text    NOT NULL,
    current   integer NOT NULL,
    longest   integer NOT NULL,
    total     integer NOT NULL,
    freezes   integer NOT NULL,
    toward    integer NOT NULL,
    last_week text,
    PRIMARY KEY (group_id, member)
);

CREATE TABLE standings (
    group_id text  PRIMARY KEY,
    week     text  NOT NULL,
    rows     jsonb NOT NULL
);

CREATE TABLE streak_audit (
    group_id     text        NOT NULL,
    audit_id     bigint      GENERATED ALWAYS AS IDENTITY,
    member       text        NOT NULL,
    week         text        NOT NULL,
    before       text,
    after        text        NOT NULL,
    reason       text        NOT NULL,
    corrected_by text        NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (group_id, audit_id)
);

CREATE TABLE likes (
    group_id  text        NOT NULL,
    member    text        NOT NULL,
    paper_key text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (group_id, member, paper_key)
);
CREATE INDEX likes_paper ON likes (paper_key);

CREATE TABLE roadmaps (
    group_id    text        PRIMARY KEY,
    title       text        NOT NULL,
    source      text        NOT NULL,
    imported_at timestamptz,
    imported_by text,
    sections    jsonb       NOT NULL
);

CREATE TABLE roadmap_progress (
    group_id   text        NOT NULL,
    member     text        NOT NULL,
    done       text[]      NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, member)
);
