-- The processing regions. An environment's customer data, activity and results
-- live only in its region's database.
CREATE TABLE region (
    code text PRIMARY KEY CHECK (code IN ('uk', 'eu', 'na')),
    name text NOT NULL
);

INSERT INTO region (code, name) VALUES
    ('uk', 'United Kingdom'),
    ('eu', 'Europe'),
    ('na', 'North America');
