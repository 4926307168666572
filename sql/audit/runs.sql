-- step: audit.runs
-- rule: audit — the run that measured each year: Dagster run ids, times, delivery, code versions
-- reads: ingest.bestanden, werk.meetjaren
--
-- Parameters (from the Dagster run, pipeline/audit): $dagster_run_id, $gestart, $levering,
-- $pakketversies, $git_commit, $sql_hashes.
DELETE FROM audit.runs WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.runs
SELECT m.jaar, $dagster_run_id, (SELECT max(inleesrun) FROM ingest.bestanden),
       CAST($gestart AS TIMESTAMP), CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP),
       $levering, $pakketversies, $git_commit, $sql_hashes
FROM werk.meetjaren AS m
ORDER BY m.jaar;
