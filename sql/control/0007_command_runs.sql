-- Runs made by `rapport enrich` (an operator, in its own process) go through the same queue and pipeline.
ALTER TABLE run DROP CONSTRAINT run_trigger_check;
ALTER TABLE run ADD CONSTRAINT run_trigger_check CHECK (trigger IN ('schedule', 'manual', 'first', 'command'));
