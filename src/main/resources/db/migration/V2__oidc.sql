-- OpenID Connect: users, browser sessions, consents, authorization codes/grants, JWTs issued per grant.
create table users (
    user_id        varchar(64) primary key,
    username       varchar(100) not null unique,
    password_hash  varchar(512) not null,
    name           varchar(200),
    email          varchar(254),
    email_verified boolean not null,
    claims         text not null,
    created_at     bigint not null,
    updated_at     bigint not null
);

create table sessions (
    session_hash varchar(64) primary key,
    user_id      varchar(64) not null,
    auth_time    bigint not null,
    expires_at   bigint not null
);
create index sessions_user_id on sessions (user_id);
create index sessions_expires_at on sessions (expires_at);

create table consents (
    user_id    varchar(64) not null,
    client_id  varchar(50) not null,
    scope      varchar(2048) not null,
    granted_at bigint not null,
    primary key (user_id, client_id)
);

-- One row per authorization code; the grant id doubles as the refresh-token family id.
create table grants (
    grant_id          varchar(64) primary key,
    code_hash         varchar(64) not null unique,
    client_id         varchar(50) not null,
    user_id           varchar(64) not null,
    redirect_uri      varchar(2000) not null,
    redirect_uri_sent boolean not null,
    scope             varchar(2048) not null,
    nonce             varchar(512),
    code_challenge    varchar(128),
    auth_time         bigint not null,
    issued_at         bigint not null,
    code_expires_at   bigint not null,
    code_consumed     boolean not null,
    revoked           boolean not null
);
create index grants_code_expires_at on grants (code_expires_at);

-- JWT access tokens issued from a grant, so revoking the grant can deny-list them.
create table grant_jwts (
    jti        varchar(64) primary key,
    grant_id   varchar(64) not null,
    expires_at bigint not null
);
create index grant_jwts_grant_id on grant_jwts (grant_id);
