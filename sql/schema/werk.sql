-- Tables of the working database (never opened by analysts; holds pseudonyms, never a raw BSN).
-- Created idempotently at the start of every run.
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS werk;
CREATE SCHEMA IF NOT EXISTS meting;
CREATE SCHEMA IF NOT EXISTS kwaliteit;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS scenario;
CREATE SCHEMA IF NOT EXISTS quotum;

-- Every row read from a polis file, typed, with the first rule it breaks (NULL = accepted).
CREATE TABLE IF NOT EXISTS ingest.polis (
    bron_bestand VARCHAR, regelnummer BIGINT,
    persoon_id VARCHAR,                         -- HMAC-SHA256 pseudonym of the BSN
    loonheffingennummer VARCHAR, ikv_id VARCHAR,
    tijdvak_begin DATE, tijdvak_einde DATE,
    verloonde_uren DECIMAL(18, 6),
    code_aard_arbeidsverhouding INTEGER,
    aanleverdatum DATE, volgnummer INTEGER,
    regel VARCHAR, kolom VARCHAR, waarde VARCHAR, melding VARCHAR
);
CREATE TABLE IF NOT EXISTS ingest.werkgevers (
    bron_bestand VARCHAR, regelnummer BIGINT,
    loonheffingennummer VARCHAR, naam VARCHAR,
    geldig_vanaf DATE, geldig_tot DATE,
    sector_risicogroep INTEGER, overheidswerkgever BOOLEAN,
    uren_sectorfonds_aandeel DOUBLE, overheidssector VARCHAR,
    sw_bedrijf BOOLEAN, arbeidsmarktregio VARCHAR,
    regel VARCHAR, kolom VARCHAR, waarde VARCHAR, melding VARCHAR
);
CREATE TABLE IF NOT EXISTS ingest.doelgroepregister (
    bron_bestand VARCHAR, regelnummer BIGINT,
    persoon_id VARCHAR, grondslag VARCHAR,
    datum_ingang DATE, datum_einde DATE, woonregio VARCHAR,
    regel VARCHAR, kolom VARCHAR, waarde VARCHAR, melding VARCHAR
);
-- The optional inleen/ extract (docs/EXTRACTS.md §6): hours a lender credits to a borrower (R17).
CREATE TABLE IF NOT EXISTS ingest.inleen (
    bron_bestand VARCHAR, regelnummer BIGINT,
    uitlener_loonheffingennummer VARCHAR, inlener_loonheffingennummer VARCHAR,
    persoon_id VARCHAR, jaar INTEGER, verloonde_uren DECIMAL(18, 6),
    regel VARCHAR, kolom VARCHAR, waarde VARCHAR, melding VARCHAR
);
-- METHOD R15, from the polis pass (sql/ingest/polis.sql, sql/ingest/werkgever_uren.sql): the
-- whole-year hours of the final versions (cut-off 1 May of Y+1) of ALL persons per employer, year
-- and CAA, and per employer and year the persons with hours in the window. Never a BSN.
CREATE TABLE IF NOT EXISTS ingest.werkgever_uren (
    loonheffingennummer VARCHAR, jaar INTEGER, code_aard_arbeidsverhouding INTEGER,
    uren_jaar DECIMAL(38, 6), tijdvakken BIGINT
);
CREATE TABLE IF NOT EXISTS ingest.werkgever_personen (
    loonheffingennummer VARCHAR, jaar INTEGER, personen_venster BIGINT
);
-- One row per input file: what was read, accepted and quarantined.
-- rijen_gelezen counts the rows of the ingest pass; rijen_niet_bewaard the accepted rows that are
-- not kept because they can never be counted (polis: a person not in the doelgroepregister; their
-- hours reach only the employer totals of METHOD R15); rijen_metadata the row count in a Parquet file's footer.
CREATE TABLE IF NOT EXISTS ingest.bestanden (
    extract VARCHAR, bron_bestand VARCHAR, formaat VARCHAR,
    bytes BIGINT, sha256 VARCHAR, rijen_gelezen BIGINT, inleesrun VARCHAR,
    rijen_niet_bewaard BIGINT, rijen_metadata BIGINT
);

-- Known system litter in a delivery (.DS_Store, Thumbs.db, AppleDouble ._*): not read, but listed
-- (sql/ingest/genegeerde_bestanden.sql writes it; published as kwaliteit.genegeerde_bestanden).
CREATE TABLE IF NOT EXISTS ingest.genegeerde_bestanden (
    extract VARCHAR, bron_bestand VARCHAR, bytes BIGINT, sha256 VARCHAR, reden VARCHAR, inleesrun VARCHAR
);
CREATE OR REPLACE VIEW kwaliteit.genegeerde_bestanden AS
    SELECT extract, bron_bestand, bytes, sha256, reden FROM ingest.genegeerde_bestanden;

-- Accepted rows: what the measurement may count.
CREATE OR REPLACE VIEW staging.polis AS
    SELECT * EXCLUDE (regel, kolom, waarde, melding) FROM ingest.polis WHERE regel IS NULL;
CREATE OR REPLACE VIEW staging.werkgevers AS
    SELECT * EXCLUDE (regel, kolom, waarde, melding) FROM ingest.werkgevers WHERE regel IS NULL;
CREATE OR REPLACE VIEW staging.doelgroepregister AS
    SELECT * EXCLUDE (regel, kolom, waarde, melding) FROM ingest.doelgroepregister WHERE regel IS NULL;
CREATE OR REPLACE VIEW staging.inleen AS
    SELECT * EXCLUDE (regel, kolom, waarde, melding) FROM ingest.inleen WHERE regel IS NULL;

-- The years of the current run with their parameters (written by sql/meting/meetjaren.sql).
CREATE TABLE IF NOT EXISTS werk.meetjaren (
    jaar INTEGER, nulmeting_jaar INTEGER, venster_begin DATE, venster_einde DATE, afsluitdatum DATE,
    afsluitdatum_opgegeven BOOLEAN, voorlopig_aandeel_markt DOUBLE, sectorfonds_drempel DOUBLE,
    uren_per_baan_per_week DOUBLE, regeling VARCHAR, doelstelling_per VARCHAR, scenario BOOLEAN
);

-- Per-year intermediate results of the measurement (one Dagster partition = one jaar; every step
-- replaces the rows of the run's years).
CREATE TABLE IF NOT EXISTS werk.definitieve_versies (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, persoon_id VARCHAR,
    loonheffingennummer VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE, tijdvak_einde DATE,
    verloonde_uren DECIMAL(18, 6), code_aard_arbeidsverhouding INTEGER,
    aanleverdatum DATE, volgnummer INTEGER
);
CREATE TABLE IF NOT EXISTS werk.na_afsluitdatum (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, loonheffingennummer VARCHAR,
    ikv_id VARCHAR, tijdvak_begin DATE, aanleverdatum DATE, afsluitdatum DATE
);
CREATE TABLE IF NOT EXISTS werk.venster_uren (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, persoon_id VARCHAR,
    loonheffingennummer VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE, tijdvak_einde DATE,
    code_aard_arbeidsverhouding INTEGER, verloonde_uren DECIMAL(18, 6),
    dagen_tijdvak INTEGER, dagen_in_venster INTEGER, uren_venster DECIMAL(38, 10)
);
CREATE TABLE IF NOT EXISTS werk.doelgroep_uren (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, persoon_id VARCHAR,
    loonheffingennummer VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE, tijdvak_einde DATE,
    code_aard_arbeidsverhouding INTEGER, uren_venster DECIMAL(38, 10)
);
CREATE TABLE IF NOT EXISTS werk.werkgever_peildatum (
    jaar INTEGER, loonheffingennummer VARCHAR, peildatum DATE, geldig_vanaf DATE,
    sector_risicogroep INTEGER, overheidswerkgever BOOLEAN, uren_sectorfonds_aandeel DOUBLE,
    overheidssector VARCHAR, sw_bedrijf BOOLEAN, arbeidsmarktregio VARCHAR
);
CREATE TABLE IF NOT EXISTS werk.vorm_uren (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, persoon_id VARCHAR,
    loonheffingennummer VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE,
    code_aard_arbeidsverhouding INTEGER, vorm VARCHAR, inleen_soort VARCHAR,
    vorm_regel INTEGER, uren_venster DECIMAL(38, 10)
);
CREATE TABLE IF NOT EXISTS werk.telbare_uren (
    jaar INTEGER, bron_bestand VARCHAR, regelnummer BIGINT, persoon_id VARCHAR,
    loonheffingennummer VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE,
    vorm VARCHAR, inleen_soort VARCHAR, sector VARCHAR, overheidssector VARCHAR,
    werkgever_regio VARCHAR, uren_venster DECIMAL(38, 10)
);
CREATE TABLE IF NOT EXISTS werk.uren_per_cel (
    jaar INTEGER, sector VARCHAR, vorm VARCHAR, uren DOUBLE, voorlopig BOOLEAN
);
CREATE TABLE IF NOT EXISTS werk.banen_per_cel (
    jaar INTEGER, sector VARCHAR, vorm VARCHAR, uren DOUBLE, banen DOUBLE, voorlopig BOOLEAN
);

-- METHOD §5 (R11–R13): per measured year and person the counted hours per cel, work, registration
-- and the hours without R4 (sql/meting/R11_persoon_jaar.sql); per (jaar, basisjaar, person, cel)
-- the flow category and contribution (sql/meting/R11_stromen_personen.sql, published as the
-- drill-down audit.stromen_personen). Hours are exact DECIMALs, so the flows reconcile exactly:
-- DECIMAL(18,10), stored as a 64-bit integer (a person's December hours are far below 10^8; a
-- larger value would be a cast error, never a silent change).
CREATE TABLE IF NOT EXISTS werk.persoon_jaar (
    jaar INTEGER, persoon_id VARCHAR,
    uren_formeel_markt DECIMAL(18, 10), uren_formeel_overheid DECIMAL(18, 10), uren_inleen DECIMAL(18, 10),
    werkt BOOLEAN,
    ongeteld_formeel_markt DECIMAL(18, 10), ongeteld_formeel_overheid DECIMAL(18, 10),
    ongeteld_inleen DECIMAL(18, 10), werkt_zonder_r4 BOOLEAN, geteld BOOLEAN
);
CREATE TABLE IF NOT EXISTS werk.register_jaar (jaar INTEGER, persoon_id VARCHAR, grondslag VARCHAR);
CREATE TABLE IF NOT EXISTS werk.stromen_personen (
    jaar INTEGER, basisjaar INTEGER, persoon_id VARCHAR, categorie VARCHAR, cel VARCHAR,
    uren_basisjaar DECIMAL(18, 10), uren_jaar DECIMAL(18, 10), bijdrage_uren DECIMAL(18, 10),
    uren_ongeteld_basisjaar DECIMAL(18, 10), werkt_ongeteld_jaar BOOLEAN,
    banen_basisjaar DOUBLE, banen_jaar DOUBLE, bijdrage_banen DOUBLE, banen_ongeteld_basisjaar DOUBLE
);

-- The R11 drill-down as published (audit.stromen_personen): per (jaar, basisjaar, person, cel) the
-- category, the person's counted hours and banen in both years and the contribution.
CREATE OR REPLACE VIEW audit.stromen_personen AS
SELECT jaar, basisjaar, persoon_id, categorie, cel, uren_basisjaar, uren_jaar, bijdrage_uren,
       banen_basisjaar, banen_jaar, bijdrage_banen, banen_ongeteld_basisjaar, werkt_ongeteld_jaar
FROM werk.stromen_personen;

-- Outputs (copied to the analyst-facing warehouse file on publication).
CREATE TABLE IF NOT EXISTS meting.banen (
    jaar INTEGER, sector VARCHAR, vorm VARCHAR, uren DOUBLE, banen DOUBLE,
    banen_nulmeting DOUBLE, extra_banen DOUBLE, voorlopig BOOLEAN, regeling VARCHAR
);
CREATE TABLE IF NOT EXISTS meting.realisatie (
    jaar INTEGER, sector VARCHAR, extra_banen DOUBLE, doelstelling DOUBLE,
    verschil DOUBLE, realisatie_pct DOUBLE, voorlopig BOOLEAN, regeling VARCHAR
);
CREATE TABLE IF NOT EXISTS meting.personen (
    jaar INTEGER, werkzame_personen BIGINT, doelgroep_omvang BIGINT, voorlopig BOOLEAN, regeling VARCHAR
);
CREATE TABLE IF NOT EXISTS meting.banen_overheidssector (
    jaar INTEGER, overheidssector VARCHAR, uren DOUBLE, banen DOUBLE, voorlopig BOOLEAN,
    doelstelling DOUBLE, realisatie_pct DOUBLE, regeling VARCHAR
);
CREATE TABLE IF NOT EXISTS meting.banen_regio (
    jaar INTEGER, indeling VARCHAR, arbeidsmarktregio VARCHAR, sector VARCHAR, vorm VARCHAR,
    uren DOUBLE, banen DOUBLE, voorlopig BOOLEAN, regeling VARCHAR
);
-- METHOD R14: a working database made before the regimes existed gets the new columns (appended,
-- as in the definitions above; the steps insert BY NAME).
ALTER TABLE meting.banen ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.realisatie ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.personen ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.banen_overheidssector ADD COLUMN IF NOT EXISTS doelstelling DOUBLE;
ALTER TABLE meting.banen_overheidssector ADD COLUMN IF NOT EXISTS realisatie_pct DOUBLE;
ALTER TABLE meting.banen_overheidssector ADD COLUMN IF NOT EXISTS regeling VARCHAR;
ALTER TABLE meting.banen_regio ADD COLUMN IF NOT EXISTS regeling VARCHAR;

-- METHOD R14: scenario results (a year and its nulmeting measured under another regime). Written
-- only into the published file by a scenario run (sql/publicatie/scenario.sql); here for their shape.
CREATE TABLE IF NOT EXISTS scenario.banen (
    jaar INTEGER, sector VARCHAR, vorm VARCHAR, uren DOUBLE, banen DOUBLE,
    banen_nulmeting DOUBLE, extra_banen DOUBLE, voorlopig BOOLEAN, regeling VARCHAR
);
CREATE TABLE IF NOT EXISTS scenario.runs (
    regeling VARCHAR, jaar INTEGER, dagster_run_id VARCHAR, gestart TIMESTAMP, beeindigd TIMESTAMP,
    levering VARCHAR, invoer_sha256 VARCHAR, git_commit VARCHAR, sql_hashes VARCHAR
);
CREATE TABLE IF NOT EXISTS meting.verdeelsleutel (
    jaar INTEGER, aandeel_markt DOUBLE, aandeel_overheid DOUBLE, voorlopig BOOLEAN, bron VARCHAR
);

-- METHOD §5: flows between two measurements (R11), durability (R12), register flows (R13).
CREATE TABLE IF NOT EXISTS meting.stromen (
    jaar INTEGER, basisjaar INTEGER, categorie VARCHAR, cel VARCHAR, personen BIGINT, banen DOUBLE,
    banen_ongeteld_basisjaar DOUBLE
);
CREATE TABLE IF NOT EXISTS meting.duurzaamheid (
    jaar INTEGER, basisjaar INTEGER, grondslag VARCHAR, cel VARCHAR,
    personen_basisjaar BIGINT, werkt_nog BIGINT, zelfde_werkgever BIGINT
);
CREATE TABLE IF NOT EXISTS meting.register_stromen (
    jaar INTEGER, basisjaar INTEGER, grondslag VARCHAR, instroom BIGINT, uitstroom BIGINT
);
-- METHOD R15–R17: employers, participation and the quotum (docs/METHOD.md §7).
CREATE TABLE IF NOT EXISTS werk.werkgever_totalen (
    jaar INTEGER, loonheffingennummer VARCHAR, sector VARCHAR, sector_risicogroep INTEGER,
    sw_bedrijf BOOLEAN, uren_totaal DECIMAL(38, 6), uren_uitgesloten DECIMAL(38, 6),
    uren_totaal_vorig_jaar DECIMAL(38, 6), personen_venster BIGINT
);
CREATE TABLE IF NOT EXISTS meting.deelname (
    jaar INTEGER, sector VARCHAR, grootteklasse VARCHAR, werkgevers BIGINT, deelnemend BIGINT, aandeel DOUBLE
);
CREATE TABLE IF NOT EXISTS werk.quotum_uren (
    jaar INTEGER, loonheffingennummer VARCHAR, persoon_id VARCHAR, uren DECIMAL(38, 6), tijdvakken BIGINT
);
CREATE TABLE IF NOT EXISTS quotum.inleen (
    jaar INTEGER, uitlener_loonheffingennummer VARCHAR, inlener_loonheffingennummer VARCHAR,
    persoon_id VARCHAR, uren_opgegeven DECIMAL(38, 6), uren_bij_uitlener DECIMAL(38, 6),
    uren_opgegeven_persoon DECIMAL(38, 6), uren_verrekend DECIMAL(38, 6)
);
CREATE TABLE IF NOT EXISTS quotum.werkgevers (
    jaar INTEGER, loonheffingennummer VARCHAR, sector VARCHAR,
    uren_totaal DECIMAL(38, 6), uren_totaal_vorig_jaar DECIMAL(38, 6), quotum_drempel_uren DECIMAL(38, 6),
    quotumplichtig BOOLEAN, quotumpercentage DECIMAL(6, 2),
    uren_arbeidsbeperkten_eigen DECIMAL(38, 6), uren_ingeleend_bij DECIMAL(38, 6),
    uren_uitgeleend_af DECIMAL(38, 6), uren_arbeidsbeperkten DECIMAL(38, 6),
    uren_quotum DECIMAL(38, 2), uren_per_baan DECIMAL(10, 2), quotumtekort DECIMAL(10, 1),
    heffing_per_baan DECIMAL(12, 2), heffing_actief BOOLEAN, heffing DECIMAL(12, 2), reden VARCHAR
);

-- The quarantine: every rejected input row with its rule (docs/INTERFACE.md columns).
CREATE OR REPLACE VIEW kwaliteit.quarantaine AS
    SELECT bron_bestand, regelnummer, regel, kolom, waarde, melding FROM ingest.polis WHERE regel IS NOT NULL
    UNION ALL
    SELECT bron_bestand, regelnummer, regel, kolom, waarde, melding FROM ingest.werkgevers WHERE regel IS NOT NULL
    UNION ALL
    SELECT bron_bestand, regelnummer, regel, kolom, waarde, melding FROM ingest.doelgroepregister WHERE regel IS NOT NULL
    UNION ALL
    SELECT bron_bestand, regelnummer, regel, kolom, waarde, melding FROM ingest.inleen WHERE regel IS NOT NULL;

-- Per input file: rows read, accepted and quarantined (nothing is lost: read = accepted + quarantined).
CREATE OR REPLACE VIEW kwaliteit.bestanden AS
    SELECT b.extract, b.bron_bestand, b.formaat, b.bytes, b.sha256, b.rijen_gelezen,
           coalesce(a.geaccepteerd, 0) + b.rijen_niet_bewaard AS rijen_geaccepteerd,
           coalesce(a.quarantaine, 0) AS rijen_quarantaine,
           b.rijen_niet_bewaard
    FROM ingest.bestanden AS b
    LEFT JOIN (
        SELECT bron_bestand, count(*) FILTER (WHERE regel IS NULL) AS geaccepteerd,
               count(*) FILTER (WHERE regel IS NOT NULL) AS quarantaine
        FROM (SELECT bron_bestand, regel FROM ingest.polis
              UNION ALL SELECT bron_bestand, regel FROM ingest.werkgevers
              UNION ALL SELECT bron_bestand, regel FROM ingest.doelgroepregister
              UNION ALL SELECT bron_bestand, regel FROM ingest.inleen)
        GROUP BY bron_bestand
    ) AS a USING (bron_bestand);

-- The fingerprint of the pseudonym key the working database's pseudonyms were made with
-- (pipeline/resources.py key_fingerprint; never the key). Published as audit.sleutel.
CREATE TABLE IF NOT EXISTS werk.sleutel (vingerafdruk VARCHAR, algoritme VARCHAR);

-- Audit record per measured year (METHOD outputs traced to inputs, rules and code).
-- The run that measured the year: Dagster run id, times, package versions, git commit, SQL hashes.
CREATE TABLE IF NOT EXISTS audit.runs (
    jaar INTEGER, dagster_run_id VARCHAR, inleesrun VARCHAR, gestart TIMESTAMP, beeindigd TIMESTAMP,
    levering VARCHAR, pakketversies VARCHAR, git_commit VARCHAR, sql_hashes VARCHAR, regeling VARCHAR
);
ALTER TABLE audit.runs ADD COLUMN IF NOT EXISTS regeling VARCHAR;
-- Every input file the year was measured from (path within the delivery, sha256, bytes, rows).
CREATE TABLE IF NOT EXISTS audit.invoerbestanden (
    jaar INTEGER, extract VARCHAR, bron_bestand VARCHAR, formaat VARCHAR, sha256 VARCHAR,
    bytes BIGINT, rijen BIGINT
);
-- The reference values used, with their source rows.
CREATE TABLE IF NOT EXISTS audit.referentiewaarden (
    jaar INTEGER, naam VARCHAR, waarde VARCHAR, bron VARCHAR
);
-- The step ledger: counts from raw rows to Table 1, per year.
CREATE TABLE IF NOT EXISTS audit.grootboek (
    jaar INTEGER, volgorde INTEGER, stap VARCHAR, regel VARCHAR, deel VARCHAR,
    rijen BIGINT, uren DOUBLE, banen DOUBLE
);
-- Drill-down: each counted record's contribution to a published cell (sql/audit/bijdragen.sql).
CREATE TABLE IF NOT EXISTS audit.bijdragen (
    jaar INTEGER, sector VARCHAR, vorm VARCHAR, inleen_soort VARCHAR, loonheffingennummer VARCHAR,
    persoon_id VARCHAR, ikv_id VARCHAR, tijdvak_begin DATE, bron_bestand VARCHAR, regelnummer BIGINT,
    uren_venster DOUBLE, aandeel DOUBLE, uren DOUBLE, banen DOUBLE
);

-- Outcomes of the Great Expectations suites (pipeline/kwaliteit), per run, suite and year.
CREATE TABLE IF NOT EXISTS kwaliteit.gx_resultaten (
    dagster_run_id VARCHAR, suite VARCHAR, jaar INTEGER, geslaagd BOOLEAN, rijen BIGINT,
    verwachtingen INTEGER, mislukt VARCHAR, data_docs VARCHAR
);
