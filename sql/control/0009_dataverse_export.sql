-- Results reach the customer's Dataverse (issue 17).

-- The geography Microsoft's host names (crm4: Europe, …), checked against the environment's region at attach.
-- Attachments made before this migration have none until they are attached again; the reachability check reads it from the URL.
ALTER TABLE dataverse_attachment ADD COLUMN geography text;

-- Which aggregation levels each run exports to Dataverse.
ALTER TABLE enrichment ADD COLUMN export_levels text[] NOT NULL DEFAULT ARRAY['Year', 'Month']
    CHECK (export_levels <@ ARRAY['Year', 'Month', 'Week']);

-- An environment's webhook: a summary of each published run is POSTed to `url`, signed with HMAC-SHA256.
-- The signing secret is derived from the service secret and `secret_salt`, never stored; a new PUT rotates it.
CREATE TABLE environment_webhook (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    url text NOT NULL CHECK (url LIKE 'https://%' OR url LIKE 'http://%'),
    secret_salt text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by uuid,
    PRIMARY KEY (tenant_id, environment_id),
    FOREIGN KEY (tenant_id, environment_id) REFERENCES environment ON DELETE CASCADE
);

-- The outbox carries webhook deliveries beside mail: `recipient` is the URL, `subject` the event, `body` the JSON.
ALTER TABLE outbox ADD COLUMN kind text NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'webhook'));
ALTER TABLE outbox ADD COLUMN environment_id uuid;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (kind, next_attempt_at) WHERE sent_at IS NULL;
