-- The admin API. Users get roles (space-separated; "admin" may be granted the gatehouse:admin scopes). Clients and
-- users get a row version that every update changes, for optimistic concurrency (ETag / If-Match); a new row starts
-- at a random version, so that a deleted and re-created row never matches an old ETag.
alter table users add column roles varchar(200) not null default '';
alter table users add column version bigint not null default 1;
alter table clients add column version bigint not null default 1;

-- Grants are listed per user (admin API: a user's grants).
create index grants_user_id on grants (user_id);

-- The audit log's lines, stored to be queried: successes (sign-ins, admin changes, key changes) one row each, failures
-- as the audit logger aggregates them (a first line per client or username and address, then one count per 10 s).
-- event_id is 13 hex digits of epoch milliseconds then random hex: unique on every node, ordered by time. Bounded:
-- the housekeeping deletes rows older than 90 days and the oldest beyond the newest 100,000.
create table audit_events (
    event_id    varchar(32) primary key,
    occurred_at bigint not null,
    event_type  varchar(40) not null,
    actor       varchar(200),
    subject     varchar(200),
    detail      varchar(1000) not null
);
create index audit_events_occurred_at on audit_events (occurred_at);
create index audit_events_type on audit_events (event_type, event_id);
create index audit_events_actor on audit_events (actor, event_id);
