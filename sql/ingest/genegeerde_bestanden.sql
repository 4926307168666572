-- Files in an extract folder that the ingestion does not read because they are known system
-- litter (pipeline/ingest/reader.py LITTER: .DS_Store, AppleDouble '._*', Thumbs.db, desktop.ini):
-- listed, never skipped in silence. Any other file that is not a data file stops the run.
-- Parameter: $extract. The rows themselves are inserted by pipeline/ingest/reader.py
-- record_ignored, in the transaction that replaces the extract's rows.
CREATE TABLE IF NOT EXISTS ingest.genegeerde_bestanden (
    extract VARCHAR, bron_bestand VARCHAR, bytes BIGINT, sha256 VARCHAR, reden VARCHAR, inleesrun VARCHAR
);
DELETE FROM ingest.genegeerde_bestanden WHERE extract = $extract;
