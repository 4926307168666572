-- Ingest one inleen file (docs/EXTRACTS.md §6, optional extract) into ingest.inleen.
--
-- Input: the temporary view `bron` (every column VARCHAR, plus `regelnummer`), see polis.sql.
-- Parameters: $bron_bestand, $hmac_ipad, $hmac_opad. The BSN becomes persoon_id here.
-- Each row gets the FIRST rule it breaks, NULL when accepted. Both employers must have a register
-- version (accepted, staging.werkgevers) valid in the year `jaar`, as a polis row's employer must.
INSERT INTO ingest.inleen
WITH tekst AS (
    SELECT
        regelnummer,
        schoon(uitlener_loonheffingennummer) AS uitlener,
        schoon(inlener_loonheffingennummer) AS inlener,
        schoon(bsn) AS bsn,
        schoon(jaar) AS jaar,
        schoon(verloonde_uren) AS verloonde_uren
    FROM bron
),
getypt AS (
    SELECT
        *,
        try_cast(CASE WHEN regexp_full_match(jaar, '[0-9]{4}') THEN jaar END AS INTEGER) AS n_jaar,
        -- digits with ',' as the decimal mark only (as the polis)
        try_cast(CASE WHEN regexp_full_match(verloonde_uren, '[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)')
                      THEN replace(verloonde_uren, ',', '.') END AS DECIMAL(18, 6)) AS n_uren
    FROM tekst
),
gecontroleerd AS (
    SELECT
        *,
        CASE
            WHEN uitlener IS NULL THEN 'verplicht|uitlener_loonheffingennummer'
            WHEN inlener IS NULL THEN 'verplicht|inlener_loonheffingennummer'
            WHEN bsn IS NULL THEN 'verplicht|bsn'
            WHEN jaar IS NULL THEN 'verplicht|jaar'
            WHEN verloonde_uren IS NULL THEN 'verplicht|verloonde_uren'
            WHEN NOT regexp_full_match(uitlener, '[0-9]{9}L[0-9]{2}')
                THEN 'loonheffingennummer_patroon|uitlener_loonheffingennummer'
            WHEN NOT regexp_full_match(inlener, '[0-9]{9}L[0-9]{2}')
                THEN 'loonheffingennummer_patroon|inlener_loonheffingennummer'
            WHEN NOT regexp_full_match(bsn, '[0-9]{9}') THEN 'bsn_formaat|bsn'
            WHEN NOT elfproef_ok(bsn) THEN 'bsn_elfproef|bsn'
            WHEN n_jaar IS NULL THEN 'geheel_getal_ongeldig|jaar'
            WHEN n_jaar < 2013 THEN 'jaar_te_vroeg|jaar'
            WHEN n_uren IS NULL THEN 'getal_ongeldig|verloonde_uren'
            WHEN n_uren < 0 THEN 'uren_negatief|verloonde_uren'
            WHEN uitlener = inlener THEN 'inlener_is_uitlener|inlener_loonheffingennummer'
            WHEN NOT EXISTS (SELECT 1 FROM staging.werkgevers AS w WHERE w.loonheffingennummer = uitlener
                             AND year(w.geldig_vanaf) <= n_jaar
                             AND year(coalesce(w.geldig_tot, DATE '9999-12-31')) >= n_jaar)
                THEN 'werkgever_onbekend|uitlener_loonheffingennummer'
            WHEN NOT EXISTS (SELECT 1 FROM staging.werkgevers AS w WHERE w.loonheffingennummer = inlener
                             AND year(w.geldig_vanaf) <= n_jaar
                             AND year(coalesce(w.geldig_tot, DATE '9999-12-31')) >= n_jaar)
                THEN 'werkgever_onbekend|inlener_loonheffingennummer'
        END AS overtreding
    FROM getypt
)
SELECT
    $bron_bestand AS bron_bestand,
    regelnummer,
    uitlener, inlener,
    CASE WHEN bsn IS NOT NULL THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad) END AS persoon_id,
    n_jaar, n_uren,
    split_part(overtreding, '|', 1) AS regel,
    split_part(overtreding, '|', 2) AS kolom,
    CASE split_part(overtreding, '|', 2)
        WHEN 'bsn' THEN CASE WHEN bsn IS NOT NULL THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad) END  -- never the raw BSN
        WHEN 'uitlener_loonheffingennummer' THEN uitlener
        WHEN 'inlener_loonheffingennummer' THEN inlener
        WHEN 'jaar' THEN jaar
        WHEN 'verloonde_uren' THEN verloonde_uren
    END AS waarde,
    CASE split_part(overtreding, '|', 1)
        WHEN 'verplicht' THEN 'verplichte kolom is leeg'
        WHEN 'bsn_formaat' THEN 'BSN is geen getal van 9 cijfers'
        WHEN 'bsn_elfproef' THEN 'BSN voldoet niet aan de elfproef'
        WHEN 'loonheffingennummer_patroon' THEN 'loonheffingennummer voldoet niet aan ^[0-9]{9}L[0-9]{2}$'
        WHEN 'geheel_getal_ongeldig' THEN 'geen geheel jaartal'
        WHEN 'jaar_te_vroeg' THEN 'jaar ligt voor 2013'
        WHEN 'getal_ongeldig' THEN 'geen geldig getal'
        WHEN 'uren_negatief' THEN 'verloonde_uren is negatief'
        WHEN 'inlener_is_uitlener' THEN 'inlener en uitlener zijn dezelfde werkgever'
        WHEN 'werkgever_onbekend' THEN 'werkgever heeft geen registerversie in het jaar'
    END AS melding
FROM gecontroleerd;
