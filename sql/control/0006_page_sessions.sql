-- Page sessions kept on the server, so signing out ends a session at once
-- (the cookie alone would stay valid until it expires).
CREATE TABLE page_session (
    tenant_id uuid NOT NULL,
    session_id uuid NOT NULL UNIQUE,
    key_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at timestamptz,
    PRIMARY KEY (tenant_id, session_id),
    FOREIGN KEY (tenant_id, key_id) REFERENCES api_key ON DELETE CASCADE
);

CREATE INDEX page_session_expires_at ON page_session (expires_at);
