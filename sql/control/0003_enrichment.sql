-- The enrichment lifecycle: the tenant's directory, each environment's
-- enrichment configuration, consent, the mail outbox, runs and their steps.

-- The tenant's directory: users with their directory ids, groups and members
-- (nested groups are flattened when a configuration is resolved).
CREATE TABLE directory_user (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    user_id text NOT NULL,
    mail text,
    user_principal_name text,
    display_name text,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX directory_user_mail ON directory_user (tenant_id, lower(mail));
CREATE INDEX directory_user_upn ON directory_user (tenant_id, lower(user_principal_name));

CREATE TABLE directory_group (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    group_id text NOT NULL,
    display_name text,
    mail text,
    PRIMARY KEY (tenant_id, group_id)
);

CREATE TABLE directory_membership (
    tenant_id uuid NOT NULL,
    group_id text NOT NULL,
    member_id text NOT NULL,
    member_is_group boolean NOT NULL,
    PRIMARY KEY (tenant_id, group_id, member_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES directory_group ON DELETE CASCADE
);

-- One enrichment per environment.
CREATE TABLE enrichment (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    agreed boolean NOT NULL CHECK (agreed),
    dataset text NOT NULL CHECK (dataset = 'business_accounts'),
    email_field text NOT NULL,
    schedule text NOT NULL CHECK (schedule IN ('daily', 'weekly', 'monthly', 'off')),
    weights jsonb NOT NULL,
    rules jsonb NOT NULL,
    -- What the admin listed: addresses and group references, as written.
    requested_addresses text[] NOT NULL,
    requested_groups text[] NOT NULL,
    next_run_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id),
    FOREIGN KEY (tenant_id, environment_id) REFERENCES environment ON DELETE CASCADE
);

-- The resolved mailboxes (the seed's Office_UserEntity).
CREATE TABLE enrichment_mailbox (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    address text NOT NULL,
    directory_id text,
    PRIMARY KEY (tenant_id, environment_id, address),
    FOREIGN KEY (tenant_id, environment_id) REFERENCES enrichment ON DELETE CASCADE
);

-- The tenant administrator's consent: one state per tenant, its history in the audit log.
CREATE TABLE consent (
    tenant_id uuid PRIMARY KEY REFERENCES tenant ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('requested', 'granted', 'refused', 'withdrawn')),
    decided_at timestamptz,
    decided_by text,
    reason text,
    updated_at timestamptz NOT NULL
);

-- Consent requests: a signed token (only its hash kept), expiring, single use.
CREATE TABLE consent_request (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    request_id uuid NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    sent_to text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (tenant_id, request_id)
);

-- Mail waiting for the SMTP relay; a relay that is down loses nothing.
CREATE TABLE outbox (
    message_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid REFERENCES tenant ON DELETE CASCADE,
    recipient text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    sent_at timestamptz,
    last_error text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- The run queue: claimed by workers of the run's region.
CREATE TABLE run (
    tenant_id uuid NOT NULL,
    run_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    region text NOT NULL REFERENCES region (code),
    status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'first')),
    scheduled_for timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    lease_owner text,
    lease_expires_at timestamptz,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    PRIMARY KEY (tenant_id, run_id),
    FOREIGN KEY (tenant_id, environment_id) REFERENCES environment ON DELETE CASCADE
);
CREATE INDEX run_claimable ON run (region, scheduled_for) WHERE status IN ('queued', 'running');
-- At most one queued or running run per environment.
CREATE UNIQUE INDEX run_active ON run (tenant_id, environment_id) WHERE status IN ('queued', 'running');

CREATE TABLE run_step (
    tenant_id uuid NOT NULL,
    run_id uuid NOT NULL,
    position integer NOT NULL,
    step text NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    counts jsonb NOT NULL DEFAULT '{}',
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    PRIMARY KEY (tenant_id, run_id, position),
    FOREIGN KEY (tenant_id, run_id) REFERENCES run ON DELETE CASCADE
);
