-- Failed client authentications and sign-ins, counted for the attempt limiter (core AttemptLimiter) so that every
-- node shares one budget and a restart does not reset it. key_hash is a hash of what is counted (an account, a source
-- address, or both), never the value itself. A row is one key's current window: [window_start, expires_at) in epoch
-- seconds, with the failures in it; one upsert per failure, nothing per success. Expired rows are purged by the
-- housekeeping (core Housekeeping).
create table auth_failures (
    key_hash     varchar(64) primary key,
    window_start bigint not null,
    failures     integer not null,
    expires_at   bigint not null
);
create index auth_failures_expires_at on auth_failures (expires_at);
