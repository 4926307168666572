-- step: audit.runs
-- rule: audit — the run that measured each year: Dagster run ids, times, delivery, code versions, regime (R14)
-- reads: ingest.bestanden, werk.meetjaren
--
-- Parameters (from the Dagster run, pipeline/audit): $dagster_run_id, $gestart, $levering,
-- $pakketversies, $git_commit, $sql_hashes.
DELETE FROM audit.runs WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.runs BY NAME
SELECT m.jaar, $dagster_run_id AS dagster_run_id, (SELECT max(inleesrun) FROM ingest.bestanden) AS inleesrun,
       CAST($gestart AS TIMESTAMP) AS gestart, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) AS beeindigd,
       $levering AS levering, $pakketversies AS pakketversies, $git_commit AS git_commit,
       $sql_hashes AS sql_hashes, m.regeling
FROM werk.meetjaren AS m
ORDER BY m.jaar;
