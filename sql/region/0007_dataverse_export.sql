-- What each environment last wrote to its Dataverse organization (issue 17): one row per exported
-- enriched row, with the hash of the record as sent. A run sends only rows whose hash changed and
-- deletes the rows that are gone; a row is recorded only after Dataverse accepted it, so an
-- interrupted export resumes where it stopped.
CREATE TABLE dataverse_export_row (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    level text NOT NULL CHECK (level IN ('Year', 'Month', 'Week')),
    period_start date NOT NULL,
    account_id text NOT NULL,
    -- Hex SHA-256 of the record body as sent.
    record_hash text NOT NULL,
    run_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, organization_id, level, period_start, account_id)
);

ALTER TABLE dataverse_export_row ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataverse_export_row FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dataverse_export_row TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON dataverse_export_row TO rapport_region_app;
