-- Load the versioned reference data (data/reference/*.csv, a source on every row) into schema ref.
-- Parameter: $referentie_map (the folder, with trailing slash). Booleans in the CSVs are J/N.
CREATE OR REPLACE TABLE ref.parameters AS
SELECT naam, CAST(waarde AS VARCHAR) AS waarde, eenheid, CAST(geldig_vanaf_jaar AS INTEGER) AS geldig_vanaf_jaar, bron
FROM read_csv($referentie_map || 'parameters.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.verdeelsleutel AS
SELECT CAST(jaar AS INTEGER) AS jaar, CAST(aandeel_markt AS DOUBLE) AS aandeel_markt,
       CAST(aandeel_overheid AS DOUBLE) AS aandeel_overheid, bron
FROM read_csv($referentie_map || 'verdeelsleutel.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.doelstelling AS
SELECT CAST(jaar AS INTEGER) AS jaar, sector, CAST(doelstelling AS DOUBLE) AS doelstelling, bron
FROM read_csv($referentie_map || 'doelstelling.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.grondslag AS
SELECT grondslag, omschrijving, bron
FROM read_csv($referentie_map || 'grondslag.csv', header = true, all_varchar = true);

-- METHOD R14: the regimes (regeling) and from which measurement year each is official. A first
-- year that is not confirmed (eerste_meetjaar_bevestigd = N, e.g. awaiting a royal decree) never
-- makes a regime official; a scenario can still measure any year under it.
CREATE OR REPLACE TABLE ref.regeling AS
SELECT regeling, omschrijving, doelstelling_per, CAST(nullif(eerste_meetjaar, '') AS INTEGER) AS eerste_meetjaar,
       eerste_meetjaar_bevestigd = 'J' AS eerste_meetjaar_bevestigd, bron
FROM read_csv($referentie_map || 'regeling.csv', header = true, all_varchar = true);

-- METHOD R4/R14: per regime, which grondslag counts for the banenafspraak.
CREATE OR REPLACE TABLE ref.regeling_grondslag AS
SELECT regeling, grondslag, telt_mee = 'J' AS telt_mee, bron
FROM read_csv($referentie_map || 'regeling_grondslag.csv', header = true, all_varchar = true);

-- METHOD §4/R14: the published government targets per overheidssector (banen, level), with source.
CREATE OR REPLACE TABLE ref.doelstelling_overheidssector AS
SELECT CAST(jaar AS INTEGER) AS jaar, overheidssector, CAST(doelstelling AS DOUBLE) AS doelstelling, bron
FROM read_csv($referentie_map || 'doelstelling_overheidssector.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.caa_vorm AS
SELECT CAST(volgorde AS INTEGER) AS volgorde,
       CAST(code_aard_arbeidsverhouding AS INTEGER) AS code_aard_arbeidsverhouding,
       CAST(sector_risicogroep AS INTEGER) AS sector_risicogroep,
       CASE sw_bedrijf WHEN 'J' THEN true WHEN 'N' THEN false END AS sw_bedrijf,
       vorm, inleen_soort, omschrijving, bron
FROM read_csv($referentie_map || 'caa_vorm.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.overheidssector AS
SELECT overheidssector, bron
FROM read_csv($referentie_map || 'overheidssector.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.arbeidsmarktregio AS
SELECT arbeidsmarktregio, naam, bron
FROM read_csv($referentie_map || 'arbeidsmarktregio.csv', header = true, all_varchar = true);

-- METHOD R17: published quotumpercentages per year and sector (none for sector markt), the years
-- in which the levy is active per sector (so far none: Wfsv art. 122na), and which grondslagen
-- count for the quotum (the counting ones plus VOORZIENING).
CREATE OR REPLACE TABLE ref.quotumpercentage AS
SELECT CAST(jaar AS INTEGER) AS jaar, sector, CAST(quotumpercentage AS DECIMAL(6, 2)) AS quotumpercentage, bron
FROM read_csv($referentie_map || 'quotumpercentage.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.quotumheffing AS
SELECT sector, CAST(jaar_van AS INTEGER) AS jaar_van, CAST(jaar_tot AS INTEGER) AS jaar_tot,
       heffing_actief = 'J' AS heffing_actief, bron
FROM read_csv($referentie_map || 'quotumheffing.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE ref.quotum_grondslag AS
SELECT grondslag, telt_mee_quotum = 'J' AS telt_mee_quotum, bron
FROM read_csv($referentie_map || 'quotum_grondslag.csv', header = true, all_varchar = true);

-- METHOD R15/R17: which CAA codes count in A (total hours) and C (hours of the doelgroep) at which
-- kind of employer; first matching row (volgorde) per grootheid wins, an empty field matches anything.
CREATE OR REPLACE TABLE ref.quotum_caa AS
SELECT grootheid, CAST(volgorde AS INTEGER) AS volgorde,
       CAST(code_aard_arbeidsverhouding AS INTEGER) AS code_aard_arbeidsverhouding,
       CAST(sector_risicogroep AS INTEGER) AS sector_risicogroep,
       CASE sw_bedrijf WHEN 'J' THEN true WHEN 'N' THEN false END AS sw_bedrijf,
       telt_mee = 'J' AS telt_mee, bron
FROM read_csv($referentie_map || 'quotum_caa.csv', header = true, all_varchar = true);
