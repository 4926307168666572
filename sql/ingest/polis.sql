-- Ingest one polis file (docs/EXTRACTS.md §1): every row is read and checked once; the rows the
-- measurement can use and the rejected rows are kept, the rest is counted.
--
-- Input: the temporary view `bron` set up by pipeline/ingest/reader.py: one row per data row
-- of the file, every column as VARCHAR (CSV as written; Parquet values as text in the contract's
-- form: ',' as decimal mark, a timestamp as its calendar date or, with a time of day, as itself), plus
-- `regelnummer` (CSV: physical line, header = line 1; Parquet: 1-based row number). For the
-- typed columns (dates, hours, CAA, volgnummer) also `<column>_getypt`: the value itself, in the
-- file's own type, when a Parquet file stores it in a type that converts to the contract type
-- without loss (its text column is then NULL); else NULL, and the text is parsed here.
-- Also two temporary tables of the polis ingestion's connection: register_pseudoniem (the BSNs in
-- the doelgroepregister files with their pseudonyms, sql/ingest/register_pseudoniem.sql,
-- transient, never stored) and
-- werkgever_jaren (the years in which each employer has a register version,
-- sql/ingest/werkgever_jaren.sql).
-- Parameters: $bron_bestand (path within the delivery), $hmac_ipad / $hmac_opad (the
-- pseudonymisation key XOR-ed with the HMAC pads; the key itself never reaches SQL),
-- $venster_begin_maand/_dag and $venster_einde_maand/_dag (the measurement window, R2).
--
-- Step 1 (one pass over the file): type the columns and find the FIRST rule each row breaks
-- (regel/kolom/waarde/melding; NULL = accepted), including the cross-extract rule that the
-- employer has a register version in the period's year. A row is KEPT when it is rejected, or
-- when it is accepted and its BSN occurs in the doelgroepregister: no other row can ever be
-- counted, neither in December (R2, R4) nor over the whole year for the quotum (R17, C). The pass
-- writes every row of the file once, typed, into the temporary table polis_bestand (dropped after
-- the file), so that rows read = kept + not kept holds by counting, not by subtraction; steps 1b
-- and 2 read that table, never the file again.
CREATE OR REPLACE TEMP TABLE polis_bestand AS
WITH tekst AS (
    SELECT
        regelnummer,
        schoon(bsn) AS bsn,
        schoon(loonheffingennummer) AS loonheffingennummer,
        schoon(ikv_id) AS ikv_id,
        schoon(tijdvak_begin) AS tijdvak_begin, tijdvak_begin_getypt,
        schoon(tijdvak_einde) AS tijdvak_einde, tijdvak_einde_getypt,
        schoon(verloonde_uren) AS verloonde_uren, verloonde_uren_getypt,
        schoon(code_aard_arbeidsverhouding) AS code_aard_arbeidsverhouding, code_aard_arbeidsverhouding_getypt,
        schoon(aanleverdatum) AS aanleverdatum, aanleverdatum_getypt,
        schoon(volgnummer) AS volgnummer, volgnummer_getypt
    FROM bron
),
getypt AS (
    SELECT
        *,
        -- dates exactly as YYYY-MM-DD: strptime alone reads '15-01-22' as 22 January of the year 15
        coalesce(tijdvak_begin_getypt, CASE WHEN strlen(tijdvak_begin) = 10
                                            THEN try_strptime(tijdvak_begin, '%Y-%m-%d')::DATE END) AS d_begin,
        coalesce(tijdvak_einde_getypt, CASE WHEN strlen(tijdvak_einde) = 10
                                            THEN try_strptime(tijdvak_einde, '%Y-%m-%d')::DATE END) AS d_einde,
        coalesce(aanleverdatum_getypt, CASE WHEN strlen(aanleverdatum) = 10
                                            THEN try_strptime(aanleverdatum, '%Y-%m-%d')::DATE END) AS d_aanlever,
        -- digits with ',' as the decimal mark only: a cast alone reads '1.234' as 1.234 hours, and
        -- also takes '1e3' and '1_000'
        coalesce(CAST(verloonde_uren_getypt AS DECIMAL(18, 6)),
                 try_cast(CASE WHEN regexp_full_match(verloonde_uren, '[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)')
                               THEN replace(verloonde_uren, ',', '.') END AS DECIMAL(18, 6))) AS n_uren,
        -- integers only: try_cast alone would round '21.6' to 22 (a different CAA) instead of rejecting it
        coalesce(CAST(code_aard_arbeidsverhouding_getypt AS INTEGER),
                 try_cast(CASE WHEN regexp_full_match(code_aard_arbeidsverhouding, '[+-]?[0-9]+')
                               THEN code_aard_arbeidsverhouding END AS INTEGER)) AS n_caa,
        coalesce(CAST(volgnummer_getypt AS INTEGER),
                 try_cast(CASE WHEN regexp_full_match(volgnummer, '[+-]?[0-9]+') THEN volgnummer END AS INTEGER))
            AS n_volgnummer
    FROM tekst
),
gecontroleerd AS (
    SELECT
        getypt.*,
        -- a typed column is missing when it has neither a typed value nor text
        CASE
            WHEN bsn IS NULL THEN 'verplicht|bsn'
            WHEN loonheffingennummer IS NULL THEN 'verplicht|loonheffingennummer'
            WHEN ikv_id IS NULL THEN 'verplicht|ikv_id'
            WHEN d_begin IS NULL AND tijdvak_begin IS NULL THEN 'verplicht|tijdvak_begin'
            WHEN d_einde IS NULL AND tijdvak_einde IS NULL THEN 'verplicht|tijdvak_einde'
            WHEN n_uren IS NULL AND verloonde_uren IS NULL THEN 'verplicht|verloonde_uren'
            WHEN n_caa IS NULL AND code_aard_arbeidsverhouding IS NULL THEN 'verplicht|code_aard_arbeidsverhouding'
            WHEN d_aanlever IS NULL AND aanleverdatum IS NULL THEN 'verplicht|aanleverdatum'
            WHEN n_volgnummer IS NULL AND volgnummer IS NULL THEN 'verplicht|volgnummer'
            WHEN NOT regexp_full_match(bsn, '[0-9]{9}') THEN 'bsn_formaat|bsn'
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
            WHEN werkgever.jaar_van IS NULL THEN 'werkgever_onbekend|loonheffingennummer'
        END AS overtreding
    FROM getypt
    LEFT JOIN (SELECT loonheffingennummer AS werkgever_lhn, jaar_van, jaar_tot FROM werkgever_jaren) AS werkgever
      ON werkgever.werkgever_lhn = getypt.loonheffingennummer
     AND year(getypt.d_begin) BETWEEN werkgever.jaar_van AND werkgever.jaar_tot
),
ingedeeld AS (
    SELECT
        *,
        overtreding IS NOT NULL OR coalesce(bsn IN (SELECT bsn FROM register_pseudoniem), false) AS bewaard,
        -- R1/R15: an accepted version delivered on or before the cut-off of its year (1 May of Y+1),
        -- its place in R1's order (aanleverdatum, then volgnummer) as one BIGINT
        CASE WHEN overtreding IS NULL AND d_aanlever <= maand_dag(year(d_begin) + 1, $afsluitdatum_maand_dag)
             THEN versie_volgorde(d_aanlever, n_volgnummer)
        END AS versie
    FROM gecontroleerd
)
SELECT
    regelnummer, bewaard, versie,
    bsn, loonheffingennummer, ikv_id,
    d_begin AS tijdvak_begin, d_einde AS tijdvak_einde, n_uren AS verloonde_uren,
    n_caa AS code_aard_arbeidsverhouding, d_aanlever AS aanleverdatum, n_volgnummer AS volgnummer,
    overtreding,
    -- the offending value as delivered: the text, or the typed value written as text
    CASE WHEN overtreding IS NOT NULL THEN
        CASE split_part(overtreding, '|', 2)
            WHEN 'loonheffingennummer' THEN loonheffingennummer
            WHEN 'ikv_id' THEN ikv_id
            WHEN 'tijdvak_begin' THEN coalesce(tijdvak_begin, CAST(d_begin AS VARCHAR))
            WHEN 'tijdvak_einde' THEN coalesce(tijdvak_einde, CAST(d_einde AS VARCHAR))
            WHEN 'verloonde_uren' THEN coalesce(verloonde_uren, CAST(verloonde_uren_getypt AS VARCHAR))
            WHEN 'code_aard_arbeidsverhouding'
                THEN coalesce(code_aard_arbeidsverhouding, CAST(code_aard_arbeidsverhouding_getypt AS VARCHAR))
            WHEN 'aanleverdatum' THEN coalesce(aanleverdatum, CAST(d_aanlever AS VARCHAR))
            WHEN 'volgnummer' THEN coalesce(volgnummer, CAST(volgnummer_getypt AS VARCHAR))
        END
    END AS waarde
FROM ingedeeld;

-- Step 1b (METHOD R15): every accepted version delivered on time, of EVERY person, for the merge
-- over the files in sql/ingest/werkgever_uren.sql. Only the columns R15 needs; the BSN as a number
-- (accepted, so nine digits), in this connection's temporary tables only.
INSERT INTO polis_records
SELECT loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren, code_aard_arbeidsverhouding,
       CAST(bsn AS INTEGER), versie
FROM polis_bestand
WHERE versie IS NOT NULL;

-- Step 2: the kept rows, with the BSN replaced by persoon_id = HMAC-SHA256(key, bsn): a registered
-- person's as computed once per person (register_pseudoniem), a rejected row's here. The raw BSN
-- stays in the temporary tables of this connection only.
INSERT INTO ingest.polis
SELECT
    $bron_bestand AS bron_bestand,
    regelnummer,
    coalesce(register.persoon_id,
             CASE WHEN bsn IS NOT NULL THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad) END) AS persoon_id,
    loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren,
    code_aard_arbeidsverhouding, aanleverdatum, volgnummer,
    split_part(overtreding, '|', 1) AS regel,
    split_part(overtreding, '|', 2) AS kolom,
    CASE WHEN split_part(overtreding, '|', 2) = 'bsn' AND bsn IS NOT NULL
         THEN pseudoniem(bsn, $hmac_ipad, $hmac_opad)  -- never the raw BSN
         ELSE waarde END AS waarde,
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
        WHEN 'werkgever_onbekend' THEN 'werkgever heeft geen registerversie in het jaar van het tijdvak'
    END AS melding
FROM polis_bestand
LEFT JOIN register_pseudoniem AS register USING (bsn)  -- kept rows only: a few per cent nationally
WHERE bewaard;
