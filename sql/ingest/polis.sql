-- Ingest one polis file (EXTRACTS.md §1): every row is read and checked once; the rows the
-- measurement can use and the rejected rows are kept, the rest is counted.
--
-- Input: the temporary view `bron` set up by pipeline/ingest/reader.py: one row per data row
-- of the file, every column as VARCHAR (CSV as written; Parquet values cast to text), plus
-- `regelnummer` (CSV: physical line, header = line 1; Parquet: 1-based row number).
-- Also the temporary tables of sql/ingest/polis_voorbereiding.sql: register_bsn (the BSNs in the
-- doelgroepregister files, transient, never stored).
-- Parameters: $bron_bestand (path within the delivery), $hmac_ipad / $hmac_opad (the
-- pseudonymisation key XOR-ed with the HMAC pads; the key itself never reaches SQL),
-- $venster_begin_maand/_dag and $venster_einde_maand/_dag (the measurement window, R2).
--
-- Step 1 (one pass over the file): type the columns and find the FIRST rule each row breaks
-- (regel/kolom/waarde/melding; NULL = accepted), including the cross-extract rule that the
-- employer has a register version in the period's year. A row is KEPT when it is rejected, or
-- when it is accepted, its period overlaps the window of its own year, and its BSN occurs in the
-- doelgroepregister: no other row can ever be counted (R2, R4). Accepted rows that are not kept
-- are counted, per file, in one group (bewaard IS NULL) of the same pass, so that
-- rows read = kept + not kept holds by counting, not by subtraction.
CREATE OR REPLACE TEMP TABLE polis_bestand AS
WITH tekst AS (
    SELECT
        regelnummer,
        nullif(trim(bsn), '') AS bsn,
        nullif(trim(loonheffingennummer), '') AS loonheffingennummer,
        nullif(trim(ikv_id), '') AS ikv_id,
        nullif(trim(tijdvak_begin), '') AS tijdvak_begin,
        nullif(trim(tijdvak_einde), '') AS tijdvak_einde,
        nullif(trim(verloonde_uren), '') AS verloonde_uren,
        nullif(trim(code_aard_arbeidsverhouding), '') AS code_aard_arbeidsverhouding,
        nullif(trim(aanleverdatum), '') AS aanleverdatum,
        nullif(trim(volgnummer), '') AS volgnummer
    FROM bron
),
getypt AS (
    SELECT
        *,
        regexp_full_match(coalesce(bsn, ''), '[0-9]{9}') AS bsn_formaat_ok,
        try_strptime(tijdvak_begin, '%Y-%m-%d')::DATE AS d_begin,
        try_strptime(tijdvak_einde, '%Y-%m-%d')::DATE AS d_einde,
        try_strptime(aanleverdatum, '%Y-%m-%d')::DATE AS d_aanlever,
        try_cast(replace(verloonde_uren, ',', '.') AS DECIMAL(18, 6)) AS n_uren,
        -- integers only: try_cast alone would round '21.6' to 22 (a different CAA) instead of rejecting it
        try_cast(CASE WHEN regexp_full_match(code_aard_arbeidsverhouding, '[+-]?[0-9]+')
                      THEN code_aard_arbeidsverhouding END AS INTEGER) AS n_caa,
        try_cast(CASE WHEN regexp_full_match(volgnummer, '[+-]?[0-9]+') THEN volgnummer END AS INTEGER) AS n_volgnummer
    FROM tekst
),
gecontroleerd AS (
    SELECT
        *,
        CASE
            WHEN bsn IS NULL THEN 'verplicht|bsn'
            WHEN loonheffingennummer IS NULL THEN 'verplicht|loonheffingennummer'
            WHEN ikv_id IS NULL THEN 'verplicht|ikv_id'
            WHEN tijdvak_begin IS NULL THEN 'verplicht|tijdvak_begin'
            WHEN tijdvak_einde IS NULL THEN 'verplicht|tijdvak_einde'
            WHEN verloonde_uren IS NULL THEN 'verplicht|verloonde_uren'
            WHEN code_aard_arbeidsverhouding IS NULL THEN 'verplicht|code_aard_arbeidsverhouding'
            WHEN aanleverdatum IS NULL THEN 'verplicht|aanleverdatum'
            WHEN volgnummer IS NULL THEN 'verplicht|volgnummer'
            WHEN NOT bsn_formaat_ok THEN 'bsn_formaat|bsn'
            WHEN NOT elfproef_ok(bsn) THEN 'bsn_elfproef|bsn'
            WHEN NOT regexp_full_match(loonheffingennummer, '[0-9]{9}L[0-9]{2}')
                THEN 'loonheffingennummer_patroon|loonheffingennummer'
            WHEN d_begin IS NULL THEN 'datum_ongeldig|tijdvak_begin'
            WHEN d_einde IS NULL THEN 'datum_ongeldig|tijdvak_einde'
            WHEN d_aanlever IS NULL THEN 'datum_ongeldig|aanleverdatum'
            WHEN n_uren IS NULL THEN 'getal_ongeldig|verloonde_uren'
            WHEN n_caa IS NULL THEN 'geheel_getal_ongeldig|code_aard_arbeidsverhouding'
            WHEN n_volgnummer IS NULL THEN 'geheel_getal_ongeldig|volgnummer'
            WHEN d_einde < d_begin THEN 'tijdvak_volgorde|tijdvak_einde'
            WHEN year(d_einde) <> year(d_begin) THEN 'tijdvak_kalenderjaar|tijdvak_einde'
            WHEN n_uren > 24 * (date_diff('day', d_begin, d_einde) + 1) THEN 'uren_maximum|verloonde_uren'
            -- across extracts: the employer has a register version valid in the period's year
            WHEN NOT EXISTS (
                SELECT 1 FROM staging.werkgevers AS w
                WHERE w.loonheffingennummer = getypt.loonheffingennummer
                  AND w.geldig_vanaf <= make_date(year(getypt.d_begin), 12, 31)
                  AND coalesce(w.geldig_tot, DATE '9999-12-31') >= make_date(year(getypt.d_begin), 1, 1)
            ) THEN 'werkgever_onbekend|loonheffingennummer'
        END AS overtreding
    FROM getypt
),
ingedeeld AS (
    SELECT
        *,
        CASE
            WHEN overtreding IS NOT NULL THEN regelnummer
            WHEN d_begin <= make_date(year(d_begin), $venster_einde_maand, $venster_einde_dag)
             AND d_einde >= make_date(year(d_begin), $venster_begin_maand, $venster_begin_dag)
             AND bsn IN (SELECT bsn FROM register_bsn) THEN regelnummer
        END AS bewaard
    FROM gecontroleerd
)
SELECT
    bewaard,
    count(*) AS rijen,
    any_value(bsn) AS bsn,
    any_value(loonheffingennummer) AS loonheffingennummer,
    any_value(ikv_id) AS ikv_id,
    any_value(d_begin) AS tijdvak_begin,
    any_value(d_einde) AS tijdvak_einde,
    any_value(n_uren) AS verloonde_uren,
    any_value(n_caa) AS code_aard_arbeidsverhouding,
    any_value(d_aanlever) AS aanleverdatum,
    any_value(n_volgnummer) AS volgnummer,
    any_value(split_part(overtreding, '|', 1)) AS regel,
    any_value(split_part(overtreding, '|', 2)) AS kolom,
    any_value(CASE split_part(overtreding, '|', 2)
        WHEN 'loonheffingennummer' THEN loonheffingennummer
        WHEN 'ikv_id' THEN ikv_id
        WHEN 'tijdvak_begin' THEN tijdvak_begin
        WHEN 'tijdvak_einde' THEN tijdvak_einde
        WHEN 'verloonde_uren' THEN verloonde_uren
        WHEN 'code_aard_arbeidsverhouding' THEN code_aard_arbeidsverhouding
        WHEN 'aanleverdatum' THEN aanleverdatum
        WHEN 'volgnummer' THEN volgnummer
    END) AS waarde
FROM ingedeeld
GROUP BY bewaard;

-- Step 2: the kept rows, with the BSN replaced by persoon_id = HMAC-SHA256(key, bsn). Only kept
-- rows are hashed; the raw BSN stays in the temporary table of this connection only.
INSERT INTO ingest.polis
SELECT
    $bron_bestand AS bron_bestand,
    bewaard AS regelnummer,
    CASE WHEN bsn IS NOT NULL THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad) END AS persoon_id,
    loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren,
    code_aard_arbeidsverhouding, aanleverdatum, volgnummer,
    nullif(regel, '') AS regel,
    nullif(kolom, '') AS kolom,
    CASE WHEN kolom = 'bsn' AND bsn IS NOT NULL THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad)  -- never the raw BSN
         ELSE waarde END AS waarde,
    CASE nullif(regel, '')
        WHEN 'verplicht' THEN 'verplichte kolom is leeg'
        WHEN 'bsn_formaat' THEN 'BSN is geen getal van 9 cijfers'
        WHEN 'bsn_elfproef' THEN 'BSN voldoet niet aan de elfproef'
        WHEN 'loonheffingennummer_patroon' THEN 'loonheffingennummer voldoet niet aan ^[0-9]{9}L[0-9]{2}$'
        WHEN 'datum_ongeldig' THEN 'geen geldige datum JJJJ-MM-DD'
        WHEN 'getal_ongeldig' THEN 'geen geldig getal'
        WHEN 'geheel_getal_ongeldig' THEN 'geen geheel getal'
        WHEN 'tijdvak_volgorde' THEN 'tijdvak_einde ligt voor tijdvak_begin'
        WHEN 'tijdvak_kalenderjaar' THEN 'tijdvak loopt over de jaargrens'
        WHEN 'uren_maximum' THEN 'meer verloonde uren dan 24 x dagen van het tijdvak'
        WHEN 'werkgever_onbekend' THEN 'werkgever heeft geen registerversie in het jaar van het tijdvak'
    END AS melding
FROM polis_bestand
WHERE bewaard IS NOT NULL;
