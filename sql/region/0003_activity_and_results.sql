-- The pseudonymized activity store and the published results.
--
-- No address, display name, subject or body is stored: people, message keys,
-- reply keys and conversations are 64-bit keyed hashes (HMAC-SHA256 under the
-- tenant's key, truncated), enough to count distinct people and pair replies.

CREATE TABLE email_signal (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    message_key bigint NOT NULL,
    account_id text NOT NULL,
    sent_at timestamptz NOT NULL,
    to_account boolean NOT NULL,
    internal_people bigint[] NOT NULL,
    account_people bigint[] NOT NULL,
    replies_to bigint[] NOT NULL DEFAULT '{}',
    conversation bigint,
    -- Keys of the participants' domains, so a domain excluded later applies retroactively.
    domains bigint[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, environment_id, message_key, account_id)
);
CREATE INDEX email_signal_time ON email_signal (tenant_id, environment_id, sent_at);

CREATE TABLE meeting_signal (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    occurrence_key bigint NOT NULL,
    account_id text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    to_account boolean NOT NULL,
    internal_people bigint[] NOT NULL,
    account_people bigint[] NOT NULL,
    domains bigint[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, environment_id, occurrence_key, account_id)
);
CREATE INDEX meeting_signal_time ON meeting_signal (tenant_id, environment_id, starts_at);

-- A run's result, written under its own id before it becomes current.
CREATE TABLE enrichment_run (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    run_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('building', 'published', 'failed', 'superseded')),
    as_of timestamptz NOT NULL,
    window_start timestamptz NOT NULL,
    score_version integer NOT NULL,
    weights jsonb NOT NULL,
    summary jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    PRIMARY KEY (tenant_id, environment_id, run_id)
);

CREATE TABLE account_engagement (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    run_id uuid NOT NULL,
    level text NOT NULL CHECK (level IN ('Year', 'Month', 'Week')),
    period_start date NOT NULL,
    account_id text NOT NULL,
    engagement_score integer NOT NULL,
    raw_score double precision NOT NULL,
    emails_to_account integer NOT NULL,
    emails_from_account integer NOT NULL,
    meetings_from_account integer NOT NULL,
    meetings_to_account integer NOT NULL,
    contacts_in_meetings integer NOT NULL,
    contacts_in_emails integer NOT NULL,
    account_contacts_in_meetings integer NOT NULL,
    account_contacts_in_emails integer NOT NULL,
    engagement_start_date date,
    days_since_last_email integer,
    days_since_last_meeting integer,
    average_meeting_minutes double precision,
    average_reply_minutes double precision,
    -- The score's breakdown (Year rows): each component's input and contribution.
    components jsonb,
    PRIMARY KEY (tenant_id, environment_id, run_id, level, period_start, account_id)
);

-- The customer card reads one account's rows; the preview pages by score.
CREATE INDEX account_engagement_account ON account_engagement (tenant_id, environment_id, run_id, account_id, level, period_start);
CREATE INDEX account_engagement_score ON account_engagement (tenant_id, environment_id, run_id, level, engagement_score DESC, account_id);

-- Which run an environment's readers see; switched in one transaction.
CREATE TABLE current_result (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    run_id uuid NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['email_signal', 'meeting_signal', 'enrichment_run', 'account_engagement', 'current_result'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I TO rapport_region_app USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant())', name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO rapport_region_app', name);
    END LOOP;
END;
$$;
