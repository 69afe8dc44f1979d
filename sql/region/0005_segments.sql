-- Segments and measures over the enriched data of an environment.

CREATE TABLE segment (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    segment_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    expression text NOT NULL CHECK (length(expression) <= 4000),
    ready_made boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, segment_id)
);
CREATE UNIQUE INDEX segment_name_key ON segment (tenant_id, environment_id, lower(name));

-- The size of each evaluation (after each published run, and on creation).
CREATE TABLE segment_evaluation (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    segment_id uuid NOT NULL,
    run_id uuid NOT NULL,
    size integer NOT NULL,
    evaluated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, segment_id, run_id),
    FOREIGN KEY (tenant_id, environment_id, segment_id) REFERENCES segment ON DELETE CASCADE
);

CREATE TABLE measure (
    tenant_id uuid NOT NULL,
    environment_id uuid NOT NULL,
    measure_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    function text NOT NULL CHECK (function IN ('COUNT', 'SUM', 'AVG', 'MIN', 'MAX')),
    column_name text NOT NULL,
    segment_id uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, environment_id, measure_id),
    FOREIGN KEY (tenant_id, environment_id, segment_id) REFERENCES segment ON DELETE CASCADE
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['segment', 'segment_evaluation', 'measure'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I TO rapport_region_app USING (tenant_id = rapport_current_tenant()) WITH CHECK (tenant_id = rapport_current_tenant())', name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO rapport_region_app', name);
    END LOOP;
END;
$$;
