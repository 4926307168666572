-- Publication of a scenario run (METHOD R14) into the analyst-facing warehouse file.
-- Runs in a new file (the staging copy, pipeline/publicatie/publish.py publish_scenario) with the
-- published file attached read-only as `gepubliceerd` (it must exist: a scenario is compared with
-- its official figures), `oud` (its tables, or empty ones) and `werk_db`: the scenario's own working
-- database, where the run measured $jaren (a year and its nulmeting) under regime $regeling. The
-- new file is the published file as it is — every official table (meting.*, audit.*, kwaliteit.*)
-- copied unchanged — with the scenario's rows of ($regeling, $jaren) replaced in scenario.banen and
-- the run recorded in scenario.runs. scenario.verschil is a view (sql/publicatie/views.sql).
-- Parameters: $jaren, $regeling, $dagster_run_id, $gestart, $levering, $git_commit, $sql_hashes.
COPY FROM DATABASE gepubliceerd TO nieuw;

-- A file published before the regimes existed lacks their columns: added empty (NULL), the
-- figures themselves unchanged, so the views below can be made.
ALTER TABLE meting.banen ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.realisatie ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.personen ADD COLUMN IF NOT EXISTS regeling VARCHAR;

CREATE SCHEMA IF NOT EXISTS scenario;

CREATE OR REPLACE TABLE scenario.banen AS
SELECT * FROM werk_db.meting.banen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME
SELECT * FROM oud.scenario.banen WHERE NOT (regeling = $regeling AND list_contains($jaren, jaar))
ORDER BY regeling, jaar, sector, vorm;

-- One row per (regeling, jaar) of the run: which Dagster run measured it, from which delivery
-- (invoer_sha256: the sha256 over the path and sha256 of every input file, in path order) and code.
CREATE OR REPLACE TABLE scenario.runs AS
SELECT CAST($regeling AS VARCHAR) AS regeling, m.jaar, CAST($dagster_run_id AS VARCHAR) AS dagster_run_id,
       CAST($gestart AS TIMESTAMP) AS gestart, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) AS beeindigd,
       CAST($levering AS VARCHAR) AS levering,
       (SELECT sha256(string_agg(bron_bestand || ':' || sha256, ';' ORDER BY bron_bestand))
        FROM werk_db.ingest.bestanden) AS invoer_sha256,
       CAST($git_commit AS VARCHAR) AS git_commit, CAST($sql_hashes AS VARCHAR) AS sql_hashes
FROM werk_db.werk.meetjaren AS m
WHERE list_contains($jaren, m.jaar)
UNION ALL BY NAME
SELECT * FROM oud.scenario.runs WHERE NOT (regeling = $regeling AND list_contains($jaren, jaar))
ORDER BY regeling, jaar;
