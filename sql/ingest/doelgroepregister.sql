-- Ingest one doelgroepregister file (docs/EXTRACTS.md §3) into ingest.doelgroepregister.
--
-- Input: the temporary view `bron` (every column VARCHAR, plus `regelnummer`), see polis.sql.
-- Parameters: $bron_bestand, $hmac_ipad, $hmac_opad. The BSN becomes persoon_id here.
-- Each row gets the FIRST rule it breaks, NULL when accepted.
INSERT INTO ingest.doelgroepregister
WITH tekst AS (
    SELECT
        regelnummer,
        schoon(bsn) AS bsn,
        schoon(grondslag) AS grondslag,
        schoon(datum_ingang) AS datum_ingang,
        schoon(datum_einde) AS datum_einde,
        schoon(woonregio) AS woonregio
    FROM bron
),
getypt AS (
    SELECT
        *,
        pseudoniem(bsn, $hmac_ipad, $hmac_opad) AS persoon_id,
        regexp_full_match(coalesce(bsn, ''), '[0-9]{9}') AS bsn_formaat_ok,
        -- dates exactly as YYYY-MM-DD (strptime alone reads '01-01-16' as 16 January of the year 1)
        CASE WHEN strlen(datum_ingang) = 10 THEN try_strptime(datum_ingang, '%Y-%m-%d')::DATE END AS d_ingang,
        CASE WHEN strlen(datum_einde) = 10 THEN try_strptime(datum_einde, '%Y-%m-%d')::DATE END AS d_einde
    FROM tekst
),
gecontroleerd AS (
    SELECT
        *,
        CASE
            WHEN bsn IS NULL THEN 'verplicht|bsn'
            WHEN grondslag IS NULL THEN 'verplicht|grondslag'
            WHEN datum_ingang IS NULL THEN 'verplicht|datum_ingang'
            WHEN woonregio IS NULL THEN 'verplicht|woonregio'
            WHEN NOT bsn_formaat_ok THEN 'bsn_formaat|bsn'
            WHEN NOT elfproef_ok(bsn) THEN 'bsn_elfproef|bsn'
            WHEN grondslag NOT IN (SELECT grondslag FROM ref.grondslag) THEN 'grondslag_onbekend|grondslag'
            WHEN d_ingang IS NULL THEN 'datum_ongeldig|datum_ingang'
            WHEN datum_einde IS NOT NULL AND d_einde IS NULL THEN 'datum_ongeldig|datum_einde'
            WHEN d_einde < d_ingang THEN 'register_datumvolgorde|datum_einde'
            WHEN woonregio NOT IN (SELECT arbeidsmarktregio FROM ref.arbeidsmarktregio)
                THEN 'regio_onbekend|woonregio'
        END AS overtreding
    FROM getypt
)
SELECT
    $bron_bestand AS bron_bestand,
    regelnummer,
    persoon_id,
    grondslag,
    d_ingang AS datum_ingang,
    d_einde AS datum_einde,
    woonregio,
    split_part(overtreding, '|', 1) AS regel,
    split_part(overtreding, '|', 2) AS kolom,
    CASE split_part(overtreding, '|', 2)
        WHEN 'bsn' THEN CASE WHEN bsn IS NOT NULL THEN persoon_id END   -- never the raw BSN; empty stays empty
        WHEN 'grondslag' THEN grondslag
        WHEN 'datum_ingang' THEN datum_ingang
        WHEN 'datum_einde' THEN datum_einde
        WHEN 'woonregio' THEN woonregio
    END AS waarde,
    CASE split_part(overtreding, '|', 1)
        WHEN 'verplicht' THEN 'verplichte kolom is leeg'
        WHEN 'bsn_formaat' THEN 'BSN is geen getal van 9 cijfers'
        WHEN 'bsn_elfproef' THEN 'BSN voldoet niet aan de elfproef'
        WHEN 'grondslag_onbekend' THEN 'grondslag staat niet in de codelijst'
        WHEN 'datum_ongeldig' THEN 'geen geldige datum JJJJ-MM-DD'
        WHEN 'register_datumvolgorde' THEN 'datum_einde ligt voor datum_ingang'
        WHEN 'regio_onbekend' THEN 'woonregio is geen AMR01..AMR35'
    END AS melding
FROM gecontroleerd;
