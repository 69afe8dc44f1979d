-- The control plane: tenants, environments, Dataverse attachments, licences,
-- principals, roles, API keys and the audit log. Every table of tenant data
-- leads its keys with tenant_id.

CREATE TABLE tenant (
    tenant_id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The organization's own mail domains: mail between them is internal.
    email_domains text[] NOT NULL CHECK (cardinality(email_domains) >= 1),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenant_name_key ON tenant (lower(name));

CREATE TABLE environment (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    environment_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    region text NOT NULL REFERENCES region (code),
    profile_type text NOT NULL CHECK (profile_type IN ('business_accounts', 'individual_customers')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, environment_id)
);
CREATE UNIQUE INDEX environment_name_key ON environment (tenant_id, lower(name));

-- An environment's region never changes: its data lives in that region's database.
CREATE FUNCTION environment_region_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.region <> OLD.region THEN
        RAISE EXCEPTION 'the region of an environment cannot change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER environment_region_fixed BEFORE UPDATE ON environment
    FOR EACH ROW EXECUTE FUNCTION environment_region_is_fixed();

-- Dataverse attachments: one current (detached_at IS NULL) per environment; history kept.
CREATE TABLE dataverse_attachment (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    attachment_id bigint GENERATED ALWAYS AS IDENTITY,
    organization_url text NOT NULL CHECK (organization_url LIKE 'https://%'),
    organization_id uuid NOT NULL,
    attached_at timestamptz NOT NULL DEFAULT now(),
    attached_by uuid,
    detached_at timestamptz,
    detached_by uuid,
    PRIMARY KEY (tenant_id, environment_id, attachment_id),
    FOREIGN KEY (tenant_id, environment_id) REFERENCES environment ON DELETE CASCADE
);
CREATE UNIQUE INDEX dataverse_current_key ON dataverse_attachment (tenant_id, environment_id)
    WHERE detached_at IS NULL;

-- The tenant's Office 365 licence. "Active" = status active and not past expiry.
CREATE TABLE licence (
    tenant_id uuid PRIMARY KEY REFERENCES tenant ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('active', 'suspended', 'expired')),
    seats integer NOT NULL CHECK (seats > 0),
    expires_on date NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- People and services of a tenant that hold roles and keys.
CREATE TABLE principal (
    tenant_id uuid NOT NULL REFERENCES tenant ON DELETE CASCADE,
    principal_id uuid NOT NULL,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    email text CHECK (email IS NULL OR length(email) <= 320),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, principal_id)
);
CREATE UNIQUE INDEX principal_email_key ON principal (tenant_id, lower(email)) WHERE email IS NOT NULL;

-- Roles: per tenant (owner, o365_admin) or per environment (admin, contributor, viewer).
CREATE TABLE role_assignment (
    tenant_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    principal_id uuid NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'o365_admin', 'admin', 'contributor', 'viewer')),
    environment_id uuid,
    -- Where consent requests go, for the Office 365 tenant administrator.
    notify_email text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, assignment_id),
    FOREIGN KEY (tenant_id, principal_id) REFERENCES principal ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, environment_id) REFERENCES environment ON DELETE CASCADE,
    CHECK ((role IN ('owner', 'o365_admin')) = (environment_id IS NULL)),
    CHECK ((role = 'o365_admin') = (notify_email IS NOT NULL))
);
CREATE UNIQUE INDEX role_assignment_key ON role_assignment
    (tenant_id, principal_id, role, coalesce(environment_id, '00000000-0000-0000-0000-000000000000'));

-- Platform operators create tenants; they are no tenant's principals.
CREATE TABLE operator (
    operator_id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- API keys: shown once, stored as SHA-256 of the whole key; found by their public prefix.
CREATE TABLE api_key (
    tenant_id uuid NOT NULL,
    key_id uuid NOT NULL,
    principal_id uuid NOT NULL,
    prefix text NOT NULL UNIQUE,
    secret_hash bytea NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, key_id),
    FOREIGN KEY (tenant_id, principal_id) REFERENCES principal ON DELETE CASCADE
);

CREATE TABLE operator_key (
    key_id uuid PRIMARY KEY,
    operator_id uuid NOT NULL REFERENCES operator ON DELETE CASCADE,
    prefix text NOT NULL UNIQUE,
    secret_hash bytea NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);

-- Every change: who, what, when, from which key.
CREATE TABLE audit_event (
    tenant_id uuid NOT NULL,
    event_id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_principal_id uuid,
    actor_operator_id uuid,
    key_id uuid,
    action text NOT NULL,
    target text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, event_id)
);
