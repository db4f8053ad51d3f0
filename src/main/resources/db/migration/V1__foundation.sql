-- Foundation schema (PostgreSQL). Times are epoch seconds; secrets and tokens are stored hashed.
create table clients (
    client_id                 varchar(50) primary key,
    secret_hash               varchar(512),
    grant_types               varchar(200) not null,
    scope                     varchar(2048) not null,
    token_format              varchar(10) not null,
    access_token_ttl          bigint not null,
    claims                    text not null,
    signing_alg               varchar(10) not null,
    scope_claim               varchar(10) not null,
    audience                  varchar(2000),
    redirect_uris             text not null,
    post_logout_redirect_uris text not null,
    require_pkce              boolean not null,
    refresh_tokens            boolean not null,
    first_party               boolean not null,
    id_token_ttl              bigint not null,
    refresh_token_ttl         bigint not null,
    created_at                bigint not null
);

create table tokens (
    token_hash varchar(64) primary key,
    kind       varchar(10) not null,
    client_id  varchar(50) not null,
    subject    varchar(255) not null,
    scope      varchar(2048) not null,
    issued_at  bigint not null,
    expires_at bigint not null,
    grant_id   varchar(64),
    revoked    boolean not null
);
create index tokens_grant_id on tokens (grant_id);
create index tokens_expires_at on tokens (expires_at);

create table revoked_jwts (
    jti        varchar(64) primary key,
    expires_at bigint not null
);

create table signing_keys (
    kid         varchar(100) primary key,
    alg         varchar(10) not null unique,
    private_jwk text not null,
    created_at  bigint not null
);
