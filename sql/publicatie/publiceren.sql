-- Publication of measurement year $jaar into the analyst-facing warehouse file.
-- Runs on a copy of the published file with the working database attached read-only as werk_db;
-- the copy replaces the published file only after this script succeeded (pipeline/publicatie).
-- Other years already published stay as they were. The quality tables describe the delivery the
-- year was measured from. Never a raw BSN: the working database holds only pseudonyms.
-- Parameters: $jaar.
CREATE SCHEMA IF NOT EXISTS meting;
CREATE SCHEMA IF NOT EXISTS kwaliteit;

CREATE TABLE IF NOT EXISTS meting.banen AS SELECT * FROM werk_db.meting.banen LIMIT 0;
CREATE TABLE IF NOT EXISTS meting.personen AS SELECT * FROM werk_db.meting.personen LIMIT 0;
CREATE TABLE IF NOT EXISTS meting.realisatie AS SELECT * FROM werk_db.meting.realisatie LIMIT 0;
CREATE TABLE IF NOT EXISTS meting.verdeelsleutel AS SELECT * FROM werk_db.meting.verdeelsleutel LIMIT 0;
CREATE TABLE IF NOT EXISTS meting.banen_overheidssector AS SELECT * FROM werk_db.meting.banen_overheidssector LIMIT 0;
CREATE TABLE IF NOT EXISTS meting.banen_regio AS SELECT * FROM werk_db.meting.banen_regio LIMIT 0;

DELETE FROM meting.banen WHERE jaar = $jaar;
INSERT INTO meting.banen
SELECT * FROM werk_db.meting.banen WHERE jaar = $jaar ORDER BY sector, vorm;

DELETE FROM meting.personen WHERE jaar = $jaar;
INSERT INTO meting.personen SELECT * FROM werk_db.meting.personen WHERE jaar = $jaar;

DELETE FROM meting.realisatie WHERE jaar = $jaar;
INSERT INTO meting.realisatie
SELECT * FROM werk_db.meting.realisatie WHERE jaar = $jaar ORDER BY sector;

DELETE FROM meting.verdeelsleutel WHERE jaar = $jaar;
INSERT INTO meting.verdeelsleutel SELECT * FROM werk_db.meting.verdeelsleutel WHERE jaar = $jaar;

DELETE FROM meting.banen_overheidssector WHERE jaar = $jaar;
INSERT INTO meting.banen_overheidssector
SELECT * FROM werk_db.meting.banen_overheidssector WHERE jaar = $jaar ORDER BY overheidssector;

DELETE FROM meting.banen_regio WHERE jaar = $jaar;
INSERT INTO meting.banen_regio
SELECT * FROM werk_db.meting.banen_regio WHERE jaar = $jaar ORDER BY indeling, arbeidsmarktregio, sector, vorm;

CREATE OR REPLACE TABLE kwaliteit.quarantaine AS
SELECT * FROM werk_db.kwaliteit.quarantaine ORDER BY bron_bestand, regelnummer;

CREATE OR REPLACE TABLE kwaliteit.bestanden AS
SELECT * FROM werk_db.kwaliteit.bestanden ORDER BY bron_bestand;
