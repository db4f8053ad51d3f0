-- Signing keys get a lifecycle (next, active, retired), encryption at rest (kek_id: which key-encryption key sealed
-- private_key; null while it is a plain JWK) and an X.509 certificate chain (base64 DER, comma-separated, leaf
-- first). One active and at most one next key per algorithm: partial unique indexes, so that nodes racing to
-- promote or to create a key cannot both win.
create table signing_keys_v4 (
    kid               varchar(200) primary key,
    alg               varchar(10) not null,
    state             varchar(10) not null,
    private_key       text not null,
    kek_id            varchar(64),
    certificate_chain text,
    created_at        bigint not null,
    activated_at      bigint,
    retired_at        bigint,
    remove_after      bigint
);
insert into signing_keys_v4 (kid, alg, state, private_key, created_at, activated_at)
    select kid, alg, 'active', private_jwk, created_at, created_at from signing_keys;
drop table signing_keys;
alter table signing_keys_v4 rename to signing_keys;
create unique index signing_keys_one_active on signing_keys (alg) where state = 'active';
create unique index signing_keys_one_next on signing_keys (alg) where state = 'next';

-- A client may ask for the x5t (certificate thumbprint) header in its JWTs, as IdentityServer-era resource servers expect.
alter table clients add column jwt_header_x5t boolean not null default false;
