-- National-size synthetic delivery (pipeline/demo/national.py) — extract `doelgroepregister`
-- (docs/EXTRACTS.md §3). Runs after national_personen.sql (tables `persoon`, macro `toeval`).
--
-- Members: every working doelgroep person (persoon.doelgroep_werkend, ≈ 150 k × scale) and as many
-- members who do not work (persons from $n_werknemers on): ≈ 300 k × scale people.
-- Each member has 1 registration, 35 % a second, 5 % a third. The grondslag comes from
-- data/reference/grondslag.csv ($grondslag_csv): the first registration mostly on a counting ground
-- (WAJONG, WSW, VSO_PRO, IB, …; 8 % VOORZIENING or BESCHUT), further ones uniformly over all codes,
-- so non-counting grounds occur often. Intervals (R4 traps):
--   55 % open (datum_einde NULL), starting 2003..mid-Y
--   20 % closed, 200–4200 days long, starting 2003..2020 (ending before, in or after Y)
--    8 % starting inside December of Y, open (the whole payroll period counts)
--    7 % ending inside December of Y
--    5 % one-day registrations (datum_einde = datum_ingang; ignored), a fifth of them on 31 Dec of Y
--    5 % starting around December 2012 (whole-period rule in the nulmeting)
-- Parameters: $seed, $jaar, $n_werknemers, $grondslag_csv.

CREATE OR REPLACE TABLE registratie AS
WITH leden AS (
    SELECT p, bsn,
           toeval($seed, p, 'registraties') AS u_aantal,
           'AMR' || lpad(CAST(1 + CAST(floor(toeval($seed, p, 'woonregio') * 35) AS INTEGER) AS VARCHAR), 2, '0')
               AS woonregio
    FROM persoon
    WHERE doelgroep_werkend OR p >= $n_werknemers
),
registraties AS (
    SELECT p, bsn, woonregio, unnest(range(1 + (u_aantal < 0.35)::INTEGER + (u_aantal < 0.05)::INTEGER)) AS j
    FROM leden
),
getrokken AS (
    SELECT
        *,
        toeval($seed, p * 8 + j, 'grondslag') AS u_grondslag,
        toeval($seed, p * 8 + j, 'datumsoort') AS u_soort,
        toeval($seed, p * 8 + j, 'ingang') AS u_ingang,
        toeval($seed, p * 8 + j, 'einde') AS u_einde
    FROM registraties
),
-- Cumulative weights per grondslag: one table for first registrations, one (uniform) for the rest.
gewicht AS (
    SELECT
        grondslag, eerste,
        sum(w) OVER (PARTITION BY eerste ORDER BY grondslag) - w AS van,
        sum(w) OVER (PARTITION BY eerste ORDER BY grondslag) AS tot,
        sum(w) OVER (PARTITION BY eerste) AS totaal
    FROM (
        SELECT grondslag, true AS eerste,
               CASE grondslag WHEN 'WAJONG' THEN 35 WHEN 'WSW' THEN 20 WHEN 'VSO_PRO' THEN 15 WHEN 'IB' THEN 12
                              WHEN 'PR' THEN 5 WHEN 'GELIJK_78D' THEN 3 WHEN 'WIW_ID' THEN 2
                              WHEN 'VOORZIENING' THEN 4 WHEN 'BESCHUT' THEN 4 ELSE 1 END AS w
        FROM read_csv($grondslag_csv)
        UNION ALL
        SELECT grondslag, false, 1 FROM read_csv($grondslag_csv)
    )
),
gedateerd AS (
    SELECT
        g.*,
        CASE
            WHEN u_soort < 0.55 THEN DATE '2003-01-01'
                + CAST(floor(u_ingang * date_diff('day', DATE '2003-01-01', make_date($jaar, 6, 30))) AS INTEGER)
            WHEN u_soort < 0.75 THEN DATE '2003-01-01' + CAST(floor(u_ingang * 6575) AS INTEGER)
            WHEN u_soort < 0.83 THEN make_date($jaar, 12, 1) + CAST(floor(u_ingang * 31) AS INTEGER)
            WHEN u_soort < 0.90 THEN DATE '2010-01-01'
                + CAST(floor(u_ingang * date_diff('day', DATE '2010-01-01', make_date($jaar, 11, 30))) AS INTEGER)
            WHEN u_soort < 0.95 THEN
                CASE WHEN u_einde < 0.2 THEN make_date($jaar, 12, 31)
                     ELSE DATE '2010-01-01'
                         + CAST(floor(u_ingang * date_diff('day', DATE '2010-01-01', make_date($jaar, 12, 31))) AS INTEGER)
                END
            ELSE DATE '2012-11-15' + CAST(floor(u_ingang * 60) AS INTEGER)
        END AS datum_ingang
    FROM getrokken AS g
)
SELECT
    d.p, d.j, d.bsn, gw.grondslag, d.datum_ingang,
    CASE
        WHEN u_soort < 0.55 THEN NULL
        WHEN u_soort < 0.75 THEN d.datum_ingang + 200 + CAST(floor(u_einde * 4000) AS INTEGER)
        WHEN u_soort < 0.83 THEN NULL
        WHEN u_soort < 0.90 THEN make_date($jaar, 12, 1) + CAST(floor(u_einde * 31) AS INTEGER)
        WHEN u_soort < 0.95 THEN d.datum_ingang
        ELSE NULL
    END AS datum_einde,
    d.woonregio
FROM gedateerd AS d
JOIN gewicht AS gw
  ON gw.eerste = (d.j = 0)
 AND d.u_grondslag * gw.totaal >= gw.van
 AND d.u_grondslag * gw.totaal < gw.tot
ORDER BY d.p, d.j;

-- The extract, columns exactly as docs/EXTRACTS.md §3.
CREATE OR REPLACE MACRO doelgroepregister_extract() AS TABLE
SELECT bsn, grondslag, datum_ingang, CAST(datum_einde AS DATE) AS datum_einde, woonregio
FROM registratie
ORDER BY p, j;

-- The same rows as the source systems write CSV (empty field = null).
CREATE OR REPLACE MACRO doelgroepregister_csv(bestand) AS TABLE
SELECT bsn, grondslag,
       strftime(datum_ingang, '%Y-%m-%d') AS datum_ingang,
       strftime(datum_einde, '%Y-%m-%d') AS datum_einde,
       woonregio
FROM read_parquet(bestand);
