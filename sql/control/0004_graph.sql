-- Microsoft Graph (issue 8): each tenant's own app registration, the
-- single-use states of its admin-consent URLs, and per-run mailbox progress.

-- The tenant's Entra app registration. The client secret is sealed with
-- AES-256-GCM under `graph.secret.key` (else a key derived from the service
-- secret); the API never returns it.
CREATE TABLE graph_registration (
    tenant_id uuid PRIMARY KEY REFERENCES tenant ON DELETE CASCADE,
    entra_tenant_id text NOT NULL,
    client_id text NOT NULL,
    cloud text NOT NULL CHECK (cloud IN ('global', 'us_gov_l4', 'us_gov_l5', 'china')),
    -- nonce ‖ ciphertext ‖ tag; the tenant id is the associated data.
    secret_sealed bytea NOT NULL,
    -- Which key sealed it: hex of the first 8 bytes of the key's SHA-256.
    secret_key_id text NOT NULL,
    secret_updated_at timestamptz NOT NULL,
    -- When Microsoft's admin-consent callback last reported a grant.
    consented_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- The `state` of an admin-consent URL: signed, expiring, single use (only its hash kept).
CREATE TABLE graph_consent_state (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    state_id uuid NOT NULL,
    -- The consent request (email) the URL was sent with; null for a URL made in the console.
    request_id uuid,
    state_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (tenant_id, state_id)
);

-- What happened to each selected mailbox in a run: done, or the reason it was left out.
CREATE TABLE graph_run_mailbox (
    tenant_id uuid NOT NULL,
    run_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('email', 'meetings')),
    address text NOT NULL,
    directory_id text,
    state text NOT NULL CHECK (state IN ('done', 'forbidden', 'not_found')),
    detail text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, kind, address),
    FOREIGN KEY (tenant_id, run_id) REFERENCES run ON DELETE CASCADE
);
