-- What each run read of each mailbox folder (issue 16): how far back the mail and calendar were
-- read, how many items and pages, resyncs and throttled waits. A full mailbox is its own outcome.
ALTER TABLE graph_run_mailbox DROP CONSTRAINT graph_run_mailbox_state_check;
ALTER TABLE graph_run_mailbox ADD CONSTRAINT graph_run_mailbox_state_check
    CHECK (state IN ('done', 'forbidden', 'not_found', 'quota_exceeded'));

CREATE TABLE graph_run_folder (
    tenant_id uuid NOT NULL,
    run_id uuid NOT NULL,
    address text NOT NULL,
    folder text NOT NULL CHECK (folder IN ('inbox', 'sentitems', 'calendar')),
    -- The round reached its deltaLink: every item of the folder (mail) or of the range (calendar) was listed.
    complete boolean NOT NULL,
    -- The round started from scratch (no stored state, or the state had expired).
    full_sync boolean NOT NULL,
    items integer NOT NULL,
    pages integer NOT NULL,
    resyncs integer NOT NULL,
    resync_reason text,
    throttled integer NOT NULL,
    -- The oldest and newest item the folder's last full round listed (carried over by delta rounds).
    oldest_item timestamptz,
    newest_item timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, address, folder),
    FOREIGN KEY (tenant_id, run_id) REFERENCES run ON DELETE CASCADE
);
