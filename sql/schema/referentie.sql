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
SELECT grondslag, omschrijving, telt_mee = 'J' AS telt_mee, bron
FROM read_csv($referentie_map || 'grondslag.csv', header = true, all_varchar = true);

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
