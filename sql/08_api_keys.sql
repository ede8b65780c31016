-- 08_api_keys.sql: API keys for the HTTP API (one user, many keys).
--
-- A key is 32 random bytes shown once at creation; only its SHA-256 is stored (a key has full
-- entropy, so a fast hash is enough and lets every request find its key by an index lookup).
-- The API authenticates as its own login role, then runs each request's transaction as the
-- key's user (SET LOCAL ROLE + ims.set_current_user), so RLS isolates the data.

CREATE TABLE ims.api_keys (
    key_id        bigserial PRIMARY KEY,
    user_id       integer NOT NULL REFERENCES ims.users (user_id) ON DELETE CASCADE,
    name          varchar(100) NOT NULL,
    key_prefix    varchar(20) NOT NULL,          -- the first characters, to tell keys apart in lists
    key_hash      bytea NOT NULL UNIQUE,         -- sha256 of the whole key
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

COMMENT ON TABLE ims.api_keys IS 'API keys (hashed) for the HTTP API; a revoked key stays for the audit trail';

-- A user's keys, in lists and when counting active admin keys at start-up.
CREATE INDEX ix_api_keys_user ON ims.api_keys (user_id) WHERE revoked_at IS NULL;

ALTER TABLE ims.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE ims.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON ims.api_keys FOR ALL TO ims_admin USING (true) WITH CHECK (true);
CREATE POLICY user_own_rows ON ims.api_keys FOR SELECT TO ims_user, ims_readonly
    USING (user_id = (SELECT ims.get_current_user_id()));

GRANT ALL ON ims.api_keys TO ims_admin;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE ims.api_keys_key_id_seq TO ims_admin;
-- Users see their own keys (never the hash); only admins create or revoke them.
GRANT SELECT (key_id, user_id, name, key_prefix, created_at, last_used_at, revoked_at)
    ON ims.api_keys TO ims_user, ims_readonly;
