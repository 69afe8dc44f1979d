-- Which region this database serves. `rapport migrate` writes it once; a worker
-- checks it before touching data, so a misconfigured URL cannot mix regions.
CREATE TABLE region_identity (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    code text NOT NULL CHECK (code IN ('uk', 'eu', 'na')),
    created_at timestamptz NOT NULL DEFAULT now()
);
