-- The oldest and newest item a folder's last full round listed, kept with its delta state so that a
-- delta round can still say how far back the folder is covered (issue 16).
ALTER TABLE graph_sync_state ADD COLUMN oldest_item timestamptz;
ALTER TABLE graph_sync_state ADD COLUMN newest_item timestamptz;
