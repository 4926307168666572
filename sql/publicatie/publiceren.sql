-- Publication of the run's years ($jaren) into the analyst-facing warehouse file.
-- Runs in a new file (the staging copy, pipeline/publicatie/publish.py) with three databases
-- attached: `werk_db` (the working database, read-only), `oud` (the tables of the published file as
-- it is now: empty tables when there is none) and the new file as the default catalog. Every
-- published table gets the run's years from the working database and every other year from the
-- old file, so the new file holds the complete new state of every year of the run and exactly the
-- old rows of the years the run did not measure. The quality tables describe the delivery of this
-- run. Never a raw BSN: the working database holds only pseudonyms.
-- Parameters: $jaren.
CREATE SCHEMA IF NOT EXISTS meting;
CREATE SCHEMA IF NOT EXISTS kwaliteit;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS scenario;
CREATE SCHEMA IF NOT EXISTS quotum;

CREATE TABLE meting.banen AS
SELECT * FROM werk_db.meting.banen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.banen WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, sector, vorm;

CREATE TABLE meting.personen AS
SELECT * FROM werk_db.meting.personen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.personen WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar;

CREATE TABLE meting.realisatie AS
SELECT * FROM werk_db.meting.realisatie WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.realisatie WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, sector;

CREATE TABLE meting.verdeelsleutel AS
SELECT * FROM werk_db.meting.verdeelsleutel WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.verdeelsleutel WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar;

CREATE TABLE meting.banen_overheidssector AS
SELECT * FROM werk_db.meting.banen_overheidssector WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.banen_overheidssector WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, overheidssector;

CREATE TABLE meting.banen_regio AS
SELECT * FROM werk_db.meting.banen_regio WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.banen_regio WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, indeling, arbeidsmarktregio, sector, vorm;

-- METHOD §5: flows (R11), durability (R12), register flows (R13). A year's rows are those of the
-- run that measured it: its base years are the previous measured year of that run and the nulmeting.
CREATE TABLE meting.stromen AS
SELECT * FROM werk_db.meting.stromen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.stromen WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, basisjaar DESC,
         list_position(['blijver', 'nieuw_werk', 'registratie_effect', 'nieuw_geregistreerd_en_werk',
                        'werk_verloren', 'uit_register', 'saldo_overig'], categorie),
         list_position(['formeel_markt', 'formeel_overheid', 'inleen'], cel);

CREATE TABLE meting.duurzaamheid AS
SELECT * FROM werk_db.meting.duurzaamheid WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.duurzaamheid WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, grondslag, cel;

CREATE TABLE meting.register_stromen AS
SELECT * FROM werk_db.meting.register_stromen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.register_stromen WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, grondslag;
CREATE TABLE meting.deelname AS
SELECT * FROM werk_db.meting.deelname WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.meting.deelname WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, sector, grootteklasse;

CREATE TABLE quotum.werkgevers AS
SELECT * FROM werk_db.quotum.werkgevers WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.quotum.werkgevers WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, loonheffingennummer;

CREATE TABLE quotum.inleen AS
SELECT * FROM werk_db.quotum.inleen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.quotum.inleen WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, uitlener_loonheffingennummer, inlener_loonheffingennummer, persoon_id;

CREATE TABLE audit.runs AS
SELECT * FROM werk_db.audit.runs WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.runs WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar;

CREATE TABLE audit.invoerbestanden AS
SELECT * FROM werk_db.audit.invoerbestanden WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.invoerbestanden WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, bron_bestand;

CREATE TABLE audit.referentiewaarden AS
SELECT * FROM werk_db.audit.referentiewaarden WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.referentiewaarden WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, naam;

CREATE TABLE audit.grootboek AS
SELECT * FROM werk_db.audit.grootboek WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.grootboek WHERE NOT list_contains($jaren, jaar)
ORDER BY jaar, volgorde, deel;

CREATE TABLE audit.bijdragen AS
SELECT * FROM werk_db.audit.bijdragen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.bijdragen WHERE NOT list_contains($jaren, jaar);

-- METHOD R14: scenario results stay as they are (only a scenario run writes them,
-- sql/publicatie/scenario.sql); scenario.verschil (views.sql) compares them with the new official figures.
CREATE TABLE scenario.banen AS
SELECT * FROM oud.scenario.banen ORDER BY regeling, jaar, sector, vorm;

CREATE TABLE scenario.runs AS
SELECT * FROM oud.scenario.runs ORDER BY regeling, jaar;
-- The R11 drill-down: every person of every flow category, pseudonymised (persoon_id).
CREATE TABLE audit.stromen_personen AS
SELECT * FROM werk_db.audit.stromen_personen WHERE list_contains($jaren, jaar)
UNION ALL BY NAME SELECT * FROM oud.audit.stromen_personen WHERE NOT list_contains($jaren, jaar);

-- The fingerprint of the pseudonym key of every pseudonym in this file (never the key itself).
CREATE TABLE audit.sleutel AS SELECT * FROM werk_db.werk.sleutel;

CREATE TABLE kwaliteit.quarantaine AS
SELECT * FROM werk_db.kwaliteit.quarantaine ORDER BY bron_bestand, regelnummer;

CREATE TABLE kwaliteit.bestanden AS
SELECT * FROM werk_db.kwaliteit.bestanden ORDER BY bron_bestand;

CREATE TABLE kwaliteit.genegeerde_bestanden AS
SELECT * FROM werk_db.kwaliteit.genegeerde_bestanden ORDER BY bron_bestand;

-- The 35 arbeidsmarktregio's with their names (reference data with source), and the regional
-- breakdown with the name beside the code.
CREATE TABLE meting.arbeidsmarktregio AS
SELECT arbeidsmarktregio, naam, bron FROM werk_db.ref.arbeidsmarktregio ORDER BY arbeidsmarktregio;

CREATE OR REPLACE VIEW meting.banen_regio_naam AS
SELECT b.jaar, b.indeling, b.arbeidsmarktregio, coalesce(r.naam, 'onbekend') AS regionaam,
       b.sector, b.vorm, b.uren, b.banen, b.voorlopig
FROM meting.banen_regio AS b LEFT JOIN meting.arbeidsmarktregio AS r USING (arbeidsmarktregio)
ORDER BY b.jaar, b.indeling, b.arbeidsmarktregio, b.sector, b.vorm;

-- The drill-down view auditors use: per published cell, each employer and pseudonymised person
-- with their December hours and banen; SUM(banen) over a cell equals meting.banen.banen.
CREATE OR REPLACE VIEW audit.herleiding AS
SELECT jaar, sector, vorm, loonheffingennummer, persoon_id,
       count(*) AS records, sum(uren) AS uren, sum(banen) AS banen
FROM audit.bijdragen
GROUP BY ALL
ORDER BY jaar, sector, vorm, loonheffingennummer, persoon_id;
