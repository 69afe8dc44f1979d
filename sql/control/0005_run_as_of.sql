-- A run's moment, the end of its one-year window, fixed when the run is queued.
-- `scheduled_for` is when it may start and moves with each retry's backoff;
-- `as_of` does not, so a retried run aggregates the same window it collected.
ALTER TABLE run ADD COLUMN as_of timestamptz;
UPDATE run SET as_of = scheduled_for;
ALTER TABLE run ALTER COLUMN as_of SET NOT NULL;
