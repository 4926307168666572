-- Publication of the audit record of year $jaar (runs, input files, reference values, ledger)
-- from the working database (attached as werk_db) into the analyst file, schema audit.
-- Parameters: $jaar.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE IF NOT EXISTS audit.runs AS SELECT * FROM werk_db.audit.runs LIMIT 0;
CREATE TABLE IF NOT EXISTS audit.invoerbestanden AS SELECT * FROM werk_db.audit.invoerbestanden LIMIT 0;
CREATE TABLE IF NOT EXISTS audit.referentiewaarden AS SELECT * FROM werk_db.audit.referentiewaarden LIMIT 0;
CREATE TABLE IF NOT EXISTS audit.grootboek AS SELECT * FROM werk_db.audit.grootboek LIMIT 0;
CREATE TABLE IF NOT EXISTS audit.bijdragen AS SELECT * FROM werk_db.audit.bijdragen LIMIT 0;

DELETE FROM audit.runs WHERE jaar = $jaar;
INSERT INTO audit.runs SELECT * FROM werk_db.audit.runs WHERE jaar = $jaar;

DELETE FROM audit.invoerbestanden WHERE jaar = $jaar;
INSERT INTO audit.invoerbestanden
SELECT * FROM werk_db.audit.invoerbestanden WHERE jaar = $jaar ORDER BY bron_bestand;

DELETE FROM audit.referentiewaarden WHERE jaar = $jaar;
INSERT INTO audit.referentiewaarden
SELECT * FROM werk_db.audit.referentiewaarden WHERE jaar = $jaar ORDER BY naam;

DELETE FROM audit.grootboek WHERE jaar = $jaar;
INSERT INTO audit.grootboek
SELECT * FROM werk_db.audit.grootboek WHERE jaar = $jaar ORDER BY volgorde, deel;

DELETE FROM audit.bijdragen WHERE jaar = $jaar;
INSERT INTO audit.bijdragen
SELECT * FROM werk_db.audit.bijdragen WHERE jaar = $jaar
ORDER BY sector, vorm, loonheffingennummer, persoon_id, ikv_id, tijdvak_begin;

-- The drill-down view auditors use: per published cell, each employer and pseudonymised person
-- with their December hours and banen; SUM(banen) over a cell equals meting.banen.banen.
CREATE OR REPLACE VIEW audit.herleiding AS
SELECT jaar, sector, vorm, loonheffingennummer, persoon_id,
       count(*) AS records, sum(uren) AS uren, sum(banen) AS banen
FROM audit.bijdragen
GROUP BY ALL
ORDER BY jaar, sector, vorm, loonheffingennummer, persoon_id;
