-- Indexes for the expired-row purge (core Housekeeping): it deletes by expiry in bounded batches.
create index revoked_jwts_expires_at on revoked_jwts (expires_at);
create index grant_jwts_expires_at on grant_jwts (expires_at);
