-- Microsoft Graph (issue 8): resume points of the delta sync, kept with the
-- data they describe, per environment, mailbox and folder.

-- The link to continue from: an @odata.nextLink while a round is under way,
-- the @odata.deltaLink once it finished. Stored only after the records of the
-- page it follows are committed, so a run killed midway resumes here.
CREATE TABLE graph_sync_state (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    -- The mailbox owner's directory (object) id; Graph links name users by it, never by address.
    mailbox_id text NOT NULL,
    folder text NOT NULL CHECK (folder IN ('inbox', 'sentitems', 'calendar')),
    link text NOT NULL,
    -- true: a deltaLink (the round is complete); false: a nextLink.
    complete boolean NOT NULL,
    -- The run that stored it: a resumed run skips the folders it already completed.
    run_id uuid NOT NULL,
    -- The range the round was started with (calendarView needs both ends; mail only the start).
    range_start timestamptz NOT NULL,
    range_end timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, mailbox_id, folder)
);

-- Graph event ids (as keyed hashes) seen in each selected mailbox's calendar,
-- with the occurrence each one is. An @removed from the organizer's own
-- calendar cancels the occurrence; an event moved to another time drops the
-- occurrence it was before (a single event's key includes its start).
CREATE TABLE graph_event_item (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    mailbox_id text NOT NULL,
    item_key bigint NOT NULL,
    occurrence_key bigint NOT NULL,
    -- The mailbox owner organizes it.
    organized boolean NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, mailbox_id, item_key)
);

ALTER TABLE graph_sync_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE graph_sync_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON graph_sync_state TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());
ALTER TABLE graph_event_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE graph_event_item FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON graph_event_item TO rapport_region_app
    USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON graph_sync_state, graph_event_item TO rapport_region_app;
