-- Request objects (OIDC Core §6, RFC 9101): a client's public keys as a JWK Set (JSON text, public members only,
-- checked when registered) verify its signed request objects; request_object_signing_alg (a JOSE alg name, or "none")
-- is the only algorithm its request objects may use. Both null: no keys, any algorithm the keys allow, never "none".
alter table clients add column jwks text;
alter table clients add column request_object_signing_alg varchar(16);
