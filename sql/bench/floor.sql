-- The FLOOR of `banenafspraak bench`: the least work any implementation of the measurement must do.
-- One hand-written DuckDB query that reads every row of the Parquet delivery once (all three
-- extracts, every column the measurement needs) and computes, straight from the files, the December
-- hours of year $jaar per cell before the verdeelsleutel: formeel markt, formeel overheid and inleen
-- (total). No ingestion, no pseudonymisation, no quarantine, no intermediate tables: it joins on the
-- raw BSN and trusts the delivery to be valid (the generated one is). The pipeline must give the same
-- three numbers (werk.uren_per_cel; its inleen cells summed over markt and overheid), and the same
-- employer totals of METHOD R15 (werk.werkgever_totalen of year $jaar): the number of employers with
-- payroll in $jaar, the sum of their A, the sum of their persons with hours in the window, and the
-- number of employers with A at least $quotum_drempel_uren.
--
--   R15 A: the final versions (R1) of EVERY payroll period of $jaar of every person, without an
--       uitlener's (sector_risicogroep 52) CAA 11 and 82 and an SW-bedrijf's CAA 21, 22 and 23
--       (Besluit Wfsv art. 2.27, 2.33; hand-written here, ref.quotum_caa in the pipeline); persons
--       with R3 window hours > 0 per employer
--
--   R1  final version per (loonheffingennummer, ikv_id, tijdvak_begin): latest aanleverdatum on or
--       before $afsluitdatum, ties to the highest volgnummer (arg_max over the pair packed in a BIGINT)
--   R2/R3  periods overlapping [$venster_begin, $venster_einde], hours × days inside / days of period
--       (DECIMAL(38,10), as the pipeline, so the sums are exact)
--   R4  whole-period rule: a registration on a grondslag that counts under the regime of $jaar
--       ($regeling_grondslag_csv, telt_mee = J; R14: the regime of $regeling_csv with the latest
--       confirmed eerste_meetjaar on or before $jaar) overlapping the period on at least one day;
--       one-day registrations ignored; NULL end = open
--   R6  employer version valid on $peildatum_werkgever (31-12 of Y−1), else the earliest starting in Y
--   R5  vorm from ($caa_vorm_csv) in `volgorde` order, first match wins — applied to the few distinct
--       (CAA, sector_risicogroep, sw_bedrijf) combinations after aggregating, not per row
--   R6  overheid iff overheidswerkgever and uren_sectorfonds_aandeel < $sectorfonds_drempel
-- Parameters: $polis, $werkgevers, $doelgroepregister (lists of Parquet files), $regeling_csv, $regeling_grondslag_csv,
--   $caa_vorm_csv, $jaar, $venster_begin, $venster_einde, $afsluitdatum, $peildatum_werkgever,
--   $sectorfonds_drempel, $quotum_drempel_uren.
WITH
polis_finaal AS (                                           -- R1
    SELECT
        loonheffingennummer, ikv_id, tijdvak_begin,
        arg_max(bsn, versie) AS bsn,
        arg_max(tijdvak_einde, versie) AS tijdvak_einde,
        arg_max(verloonde_uren, versie) AS uren,
        arg_max(code_aard_arbeidsverhouding, versie) AS caa
    FROM (
        SELECT
            *,
            -- (aanleverdatum, volgnummer) as one ordered BIGINT: days × 2^32 + (volgnummer + 2^31)
            date_diff('day', DATE '1900-01-01', aanleverdatum) * 4294967296 + (volgnummer + 2147483648) AS versie
        FROM read_parquet($polis)
        WHERE year(tijdvak_begin) = $jaar                   -- the whole year: R15 needs every period
          AND aanleverdatum <= $afsluitdatum
    )
    GROUP BY loonheffingennummer, ikv_id, tijdvak_begin
),
venster AS (                                                -- R2, R3
    SELECT
        loonheffingennummer, bsn, caa, tijdvak_begin, tijdvak_einde,
        CAST(uren * (date_diff('day', greatest(tijdvak_begin, $venster_begin),
                                      least(tijdvak_einde, $venster_einde)) + 1)
             / (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) AS DECIMAL(38, 10)) AS uren
    FROM polis_finaal
    WHERE tijdvak_begin <= $venster_einde AND tijdvak_einde >= $venster_begin
),
registratie AS (                                            -- R4: counting, not one-day
    SELECT r.bsn, r.datum_ingang, coalesce(r.datum_einde, DATE '9999-12-31') AS datum_einde
    FROM read_parquet($doelgroepregister) AS r
    JOIN read_csv($regeling_grondslag_csv, all_varchar = true) AS g
      ON g.grondslag = r.grondslag AND g.telt_mee = 'J'
     AND g.regeling = (SELECT arg_max(regeling, CAST(eerste_meetjaar AS INTEGER))
                       FROM read_csv($regeling_csv, all_varchar = true)
                       WHERE eerste_meetjaar_bevestigd = 'J' AND CAST(eerste_meetjaar AS INTEGER) <= $jaar)
    WHERE r.datum_einde IS NULL OR r.datum_einde > r.datum_ingang
),
doelgroep AS (                                              -- R4: whole-period rule
    SELECT u.loonheffingennummer, u.caa, u.uren
    FROM venster AS u
    SEMI JOIN registratie AS r
      ON r.bsn = u.bsn AND r.datum_ingang <= u.tijdvak_einde AND r.datum_einde >= u.tijdvak_begin
),
werkgever AS (                                              -- R6: the version that applies
    SELECT
        loonheffingennummer,
        arg_min({'sector_risicogroep': sector_risicogroep, 'sw_bedrijf': sw_bedrijf,
                 'overheid': overheidswerkgever AND uren_sectorfonds_aandeel < $sectorfonds_drempel},
                {'niet_geldig_op_peildatum': geldig_vanaf > $peildatum_werkgever, 'vanaf': geldig_vanaf}) AS v
    FROM read_parquet($werkgevers)
    WHERE (geldig_vanaf <= $peildatum_werkgever
           AND coalesce(geldig_tot, DATE '9999-12-31') >= $peildatum_werkgever)
       OR year(geldig_vanaf) = $jaar
    GROUP BY loonheffingennummer
),
combinatie AS (                                             -- few distinct (CAA, employer kind) pairs
    SELECT d.caa, w.v.sector_risicogroep AS sector_risicogroep, w.v.sw_bedrijf AS sw_bedrijf,
           w.v.overheid AS overheid, sum(d.uren) AS uren
    FROM doelgroep AS d
    JOIN werkgever AS w USING (loonheffingennummer)
    GROUP BY ALL
),
vorm_regel AS (
    SELECT volgorde, code_aard_arbeidsverhouding AS caa, sector_risicogroep, sw_bedrijf = 'J' AS sw_bedrijf, vorm
    FROM read_csv($caa_vorm_csv)
),
met_vorm AS (                                               -- R5: first matching rule
    SELECT c.overheid, c.uren, arg_min(r.vorm, r.volgorde) AS vorm
    FROM combinatie AS c
    JOIN vorm_regel AS r
      ON (r.caa IS NULL OR r.caa = c.caa)
     AND (r.sector_risicogroep IS NULL OR r.sector_risicogroep = c.sector_risicogroep)
     AND (r.sw_bedrijf IS NULL OR r.sw_bedrijf = c.sw_bedrijf)
    GROUP BY c.caa, c.sector_risicogroep, c.sw_bedrijf, c.overheid, c.uren
),
cellen AS (
    SELECT
        CAST(coalesce(sum(uren) FILTER (WHERE vorm = 'formeel' AND NOT overheid), 0) AS DOUBLE) AS formeel_markt,
        CAST(coalesce(sum(uren) FILTER (WHERE vorm = 'formeel' AND overheid), 0) AS DOUBLE) AS formeel_overheid,
        CAST(coalesce(sum(uren) FILTER (WHERE vorm = 'inleen'), 0) AS DOUBLE) AS inleen
    FROM met_vorm
),
a_per_werkgever AS (                                        -- R15: A per employer
    SELECT f.loonheffingennummer,
           coalesce(sum(f.uren) FILTER (WHERE NOT (
               (w.v.sector_risicogroep = 52 AND f.caa IN (11, 82))
               OR (coalesce(w.v.sw_bedrijf, false) AND f.caa IN (21, 22, 23)))), 0) AS a
    FROM polis_finaal AS f
    LEFT JOIN werkgever AS w USING (loonheffingennummer)
    GROUP BY f.loonheffingennummer
),
personen AS (                                               -- R15: persons with window hours > 0
    SELECT loonheffingennummer, count(*) AS personen
    FROM (SELECT loonheffingennummer, bsn FROM venster GROUP BY ALL HAVING sum(uren) > 0)
    GROUP BY loonheffingennummer
),
werkgevers AS (
    SELECT count(*) AS werkgevers, CAST(sum(a.a) AS DOUBLE) AS uren_totaal,
           CAST(coalesce(sum(p.personen), 0) AS DOUBLE) AS personen_venster,
           CAST(count(*) FILTER (WHERE a.a >= $quotum_drempel_uren) AS DOUBLE) AS werkgevers_vanaf_drempel
    FROM a_per_werkgever AS a LEFT JOIN personen AS p USING (loonheffingennummer)
)
SELECT c.formeel_markt, c.formeel_overheid, c.inleen,
       CAST(w.werkgevers AS DOUBLE) AS werkgevers, w.uren_totaal, w.personen_venster, w.werkgevers_vanaf_drempel
FROM cellen AS c CROSS JOIN werkgevers AS w;
