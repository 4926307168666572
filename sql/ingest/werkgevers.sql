-- Ingest one werkgevers file (docs/EXTRACTS.md §2) into ingest.werkgevers.
--
-- Input: the temporary view `bron` (every column VARCHAR, plus `regelnummer`), see polis.sql.
-- Parameters: $bron_bestand. Booleans arrive as J/N (CSV) or true/false (Parquet).
-- Each row gets the FIRST rule it breaks, NULL when accepted. Overlapping versions of one
-- employer are a rule across rows: see kruiscontroles.sql.
INSERT INTO ingest.werkgevers
WITH tekst AS (
    SELECT
        regelnummer,
        schoon(loonheffingennummer) AS loonheffingennummer,
        schoon(naam) AS naam,
        schoon(geldig_vanaf) AS geldig_vanaf,
        schoon(geldig_tot) AS geldig_tot,
        schoon(sector_risicogroep) AS sector_risicogroep,
        schoon(overheidswerkgever) AS overheidswerkgever,
        schoon(uren_sectorfonds_aandeel) AS uren_sectorfonds_aandeel,
        schoon(overheidssector) AS overheidssector,
        schoon(sw_bedrijf) AS sw_bedrijf,
        schoon(arbeidsmarktregio) AS arbeidsmarktregio
    FROM bron
),
getypt AS (
    SELECT
        *,
        -- dates exactly as YYYY-MM-DD (strptime alone reads '31-12-20' as 20 December of the year 31)
        CASE WHEN strlen(geldig_vanaf) = 10 THEN try_strptime(geldig_vanaf, '%Y-%m-%d')::DATE END AS d_vanaf,
        CASE WHEN strlen(geldig_tot) = 10 THEN try_strptime(geldig_tot, '%Y-%m-%d')::DATE END AS d_tot,
        -- integers only: try_cast alone would round '52.4' to 52 instead of rejecting it
        try_cast(CASE WHEN regexp_full_match(sector_risicogroep, '[+-]?[0-9]+')
                      THEN sector_risicogroep END AS INTEGER) AS n_risicogroep,
        CASE upper(overheidswerkgever) WHEN 'J' THEN true WHEN 'TRUE' THEN true
                                WHEN 'N' THEN false WHEN 'FALSE' THEN false END AS b_overheid,
        -- digits with ',' as the decimal mark only (a cast alone reads '0.5', '5e-1' and 'nan')
        try_cast(CASE WHEN regexp_full_match(uren_sectorfonds_aandeel, '[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)')
                      THEN replace(uren_sectorfonds_aandeel, ',', '.') END AS DOUBLE) AS n_aandeel,
        CASE upper(sw_bedrijf) WHEN 'J' THEN true WHEN 'TRUE' THEN true
                        WHEN 'N' THEN false WHEN 'FALSE' THEN false END AS b_sw
    FROM tekst
),
gecontroleerd AS (
    SELECT
        *,
        CASE
            WHEN loonheffingennummer IS NULL THEN 'verplicht|loonheffingennummer'
            WHEN geldig_vanaf IS NULL THEN 'verplicht|geldig_vanaf'
            WHEN sector_risicogroep IS NULL THEN 'verplicht|sector_risicogroep'
            WHEN overheidswerkgever IS NULL THEN 'verplicht|overheidswerkgever'
            WHEN uren_sectorfonds_aandeel IS NULL THEN 'verplicht|uren_sectorfonds_aandeel'
            WHEN sw_bedrijf IS NULL THEN 'verplicht|sw_bedrijf'
            WHEN arbeidsmarktregio IS NULL THEN 'verplicht|arbeidsmarktregio'
            WHEN NOT regexp_full_match(loonheffingennummer, '[0-9]{9}L[0-9]{2}')
                THEN 'loonheffingennummer_patroon|loonheffingennummer'
            WHEN d_vanaf IS NULL THEN 'datum_ongeldig|geldig_vanaf'
            WHEN geldig_tot IS NOT NULL AND d_tot IS NULL THEN 'datum_ongeldig|geldig_tot'
            WHEN n_risicogroep IS NULL THEN 'geheel_getal_ongeldig|sector_risicogroep'
            WHEN b_overheid IS NULL THEN 'boolean_ongeldig|overheidswerkgever'
            WHEN b_sw IS NULL THEN 'boolean_ongeldig|sw_bedrijf'
            WHEN n_aandeel IS NULL THEN 'getal_ongeldig|uren_sectorfonds_aandeel'
            WHEN n_aandeel < 0 OR n_aandeel > 1 THEN 'aandeel_bereik|uren_sectorfonds_aandeel'
            WHEN d_tot < d_vanaf THEN 'geldigheid_volgorde|geldig_tot'
            WHEN overheidssector IS NOT NULL
                 AND overheidssector NOT IN (SELECT overheidssector FROM ref.overheidssector)
                THEN 'overheidssector_onbekend|overheidssector'
            WHEN arbeidsmarktregio NOT IN (SELECT arbeidsmarktregio FROM ref.arbeidsmarktregio)
                THEN 'regio_onbekend|arbeidsmarktregio'
        END AS overtreding
    FROM getypt
)
SELECT
    $bron_bestand AS bron_bestand,
    regelnummer,
    loonheffingennummer,
    naam,
    d_vanaf AS geldig_vanaf,
    d_tot AS geldig_tot,
    n_risicogroep AS sector_risicogroep,
    b_overheid AS overheidswerkgever,
    n_aandeel AS uren_sectorfonds_aandeel,
    overheidssector,
    b_sw AS sw_bedrijf,
    arbeidsmarktregio,
    split_part(overtreding, '|', 1) AS regel,
    split_part(overtreding, '|', 2) AS kolom,
    CASE split_part(overtreding, '|', 2)
        WHEN 'loonheffingennummer' THEN loonheffingennummer
        WHEN 'geldig_vanaf' THEN geldig_vanaf
        WHEN 'geldig_tot' THEN geldig_tot
        WHEN 'sector_risicogroep' THEN sector_risicogroep
        WHEN 'overheidswerkgever' THEN overheidswerkgever
        WHEN 'uren_sectorfonds_aandeel' THEN uren_sectorfonds_aandeel
        WHEN 'overheidssector' THEN overheidssector
        WHEN 'sw_bedrijf' THEN sw_bedrijf
        WHEN 'arbeidsmarktregio' THEN arbeidsmarktregio
    END AS waarde,
    CASE split_part(overtreding, '|', 1)
        WHEN 'verplicht' THEN 'verplichte kolom is leeg'
        WHEN 'loonheffingennummer_patroon' THEN 'loonheffingennummer voldoet niet aan ^[0-9]{9}L[0-9]{2}$'
        WHEN 'datum_ongeldig' THEN 'geen geldige datum JJJJ-MM-DD'
        WHEN 'geheel_getal_ongeldig' THEN 'geen geheel getal'
        WHEN 'boolean_ongeldig' THEN 'geen J/N'
        WHEN 'getal_ongeldig' THEN 'geen geldig getal'
        WHEN 'aandeel_bereik' THEN 'aandeel ligt niet tussen 0 en 1'
        WHEN 'geldigheid_volgorde' THEN 'geldig_tot ligt voor geldig_vanaf'
        WHEN 'overheidssector_onbekend' THEN 'overheidssector staat niet in de codelijst'
        WHEN 'regio_onbekend' THEN 'arbeidsmarktregio is geen AMR01..AMR35'
    END AS melding
FROM gecontroleerd;
