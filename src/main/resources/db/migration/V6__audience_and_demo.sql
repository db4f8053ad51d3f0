-- A client registered with --introspection (a resource server) may introspect access tokens of any audience;
-- other clients only those naming them in aud, or issued to them (see docs/oidc.md#introspection).
alter table clients add column resource_server boolean not null default false;

-- Rows registered by `serve --demo` (well-known credentials): a start without --demo deletes them. The mark is set
-- when --demo inserts the row and never changes; a client or user registered by hand is never marked.
alter table clients add column demo boolean not null default false;
alter table users add column demo boolean not null default false;
