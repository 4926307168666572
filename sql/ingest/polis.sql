-- Ingest one polis file (EXTRACTS.md §1) into ingest.polis.
--
-- Input: the temporary view `bron` set up by pipeline/ingest/reader.py: one row per data row
-- of the file, every column as VARCHAR (CSV as written; Parquet values cast to text), plus
-- `regelnummer` (CSV: physical line, header = line 1; Parquet: 1-based row number).
-- Parameters: $bron_bestand (path within the delivery), $hmac_ipad / $hmac_opad (the
-- pseudonymisation key XOR-ed with the HMAC pads; the key itself never reaches SQL).
--
-- The BSN is replaced by persoon_id = HMAC-SHA256(key, bsn) here, so no table holds it.
-- Each row gets the FIRST rule it breaks (regel/kolom/waarde/melding), NULL when accepted.
INSERT INTO ingest.polis
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
        pseudoniem(bsn, $hmac_ipad, $hmac_opad) AS persoon_id,
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
        END AS overtreding
    FROM getypt
)
SELECT
    $bron_bestand AS bron_bestand,
    regelnummer,
    persoon_id,
    loonheffingennummer,
    ikv_id,
    d_begin AS tijdvak_begin,
    d_einde AS tijdvak_einde,
    n_uren AS verloonde_uren,
    n_caa AS code_aard_arbeidsverhouding,
    d_aanlever AS aanleverdatum,
    n_volgnummer AS volgnummer,
    split_part(overtreding, '|', 1) AS regel,
    split_part(overtreding, '|', 2) AS kolom,
    CASE split_part(overtreding, '|', 2)
        WHEN 'bsn' THEN CASE WHEN bsn IS NOT NULL THEN persoon_id END   -- never the raw BSN; empty stays empty
        WHEN 'loonheffingennummer' THEN loonheffingennummer
        WHEN 'ikv_id' THEN ikv_id
        WHEN 'tijdvak_begin' THEN tijdvak_begin
        WHEN 'tijdvak_einde' THEN tijdvak_einde
        WHEN 'verloonde_uren' THEN verloonde_uren
        WHEN 'code_aard_arbeidsverhouding' THEN code_aard_arbeidsverhouding
        WHEN 'aanleverdatum' THEN aanleverdatum
        WHEN 'volgnummer' THEN volgnummer
    END AS waarde,
    CASE split_part(overtreding, '|', 1)
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
    END AS melding
FROM gecontroleerd;
