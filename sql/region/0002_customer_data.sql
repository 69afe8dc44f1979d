-- Customer data of each environment, read by the prerequisite check and by
-- matching. Contact addresses are kept only as keyed hashes (HMAC-SHA256 under
-- the tenant's key), so no raw address of a person is stored in the region.

CREATE TABLE business_account (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    account_id text NOT NULL,
    name text NOT NULL,
    -- Normalized web domains, lowercase, without www.
    web_domains text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, environment_id, account_id)
);

CREATE TABLE contact (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    contact_id text NOT NULL,
    account_id text NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, contact_id),
    FOREIGN KEY (tenant_id, environment_id, account_id) REFERENCES business_account ON DELETE CASCADE
);
CREATE INDEX contact_account ON contact (tenant_id, environment_id, account_id);

-- One row per email column of a contact (emailaddress1, emailaddress2, …).
CREATE TABLE contact_email (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    contact_id text NOT NULL,
    field text NOT NULL,
    address_hash bytea NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, contact_id, field),
    FOREIGN KEY (tenant_id, environment_id, contact_id) REFERENCES contact ON DELETE CASCADE
);
CREATE INDEX contact_email_hash ON contact_email (tenant_id, environment_id, field, address_hash);

-- Row-level security: the service sets rapport.tenant_id per transaction and
-- works as rapport_region_app, which the policies bind; a query that forgets
-- its tenant filter still sees only that tenant's rows, and none when unset.
-- Roles are shared by the cluster's databases, which may be migrated at once.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rapport_region_app') THEN
        CREATE ROLE rapport_region_app NOLOGIN NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;

CREATE FUNCTION rapport_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('rapport.tenant_id', true), '')::uuid
$$;

ALTER TABLE business_account ENABLE ROW LEVEL SECURITY;
ALTER TABLE business_account FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON business_account TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());

ALTER TABLE contact ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());

ALTER TABLE contact_email ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_email FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_email TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());

GRANT USAGE ON SCHEMA public TO rapport_region_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON business_account, contact, contact_email TO rapport_region_app;
GRANT SELECT ON region_identity TO rapport_region_app;
