-- National-size synthetic delivery (pipeline/demo/national.py) — extract `polis` (docs/EXTRACTS.md §1).
-- Runs after national_personen.sql (table `ikv`, macro `toeval`). Defines macros only; the
-- generator writes each file with COPY (FROM polis_extract(...)) TO '…'.
--
-- polis_extract(p_jaar, p_seed, ikv_van, ikv_tot, alleen_nulmeting): the payroll rows of the IKVs
-- i ∈ [ikv_van, ikv_tot) for calendar year p_jaar, in IKV order (a file is a range of IKVs):
--   - every IKV has its periods for the whole year: month (12), four weeks (13; the 13th runs to
--     31 December, so the 12th — e.g. 5 Nov–2 Dec 2023 — overlaps December), or week (Monday–Sunday,
--     cut at the year boundary: 2023 starts with the one-day week of Sunday 1 January);
--   - hours = hours per week × days / 7 × (0.9–1.1), two decimals, so hours ≤ 24 × days;
--   - version 1 is delivered 3–27 days after the period ends (volgnummer 1); ~2 % of the periods get
--     a correction (volgnummer 2) 0–159 days later (same day: volgnummer decides), with 60–140 % of
--     the hours or, in 5 % of corrections, the reversal (negative hours); corrections of December
--     periods delivered after the cut-off (1 May of Y+1) must not count (METHOD R1).
--   alleen_nulmeting = true gives the nulmeting file: only IKVs of doelgroep members at employers
--   that existed in p_jaar, only periods overlapping December.
-- Random draws are keyed by (IKV, year, period number), so a file's content does not depend on
-- how the IKVs are split over files.

CREATE OR REPLACE MACRO polis_extract(p_jaar, p_seed, ikv_van, ikv_tot, alleen_nulmeting) AS TABLE
WITH gekozen AS (
    SELECT i, bsn, loonheffingennummer, ikv_id, soort_tijdvak, uren_per_week, code_aard_arbeidsverhouding
    FROM ikv
    WHERE i >= ikv_van AND i < ikv_tot
      AND (NOT alleen_nulmeting OR (doelgroep AND werkgever_vanaf <= make_date(p_jaar, 12, 1)))
),
genummerd AS (
    -- period numbers n = 0, 1, … of the year; weeks start on the Monday on or before 1 January
    SELECT
        *,
        unnest(range(CASE soort_tijdvak
            WHEN 'maand' THEN 12
            WHEN 'vierweken' THEN 13
            ELSE date_diff('day', CAST(date_trunc('week', make_date(p_jaar, 1, 1)) AS DATE), make_date(p_jaar, 12, 31)) // 7 + 1
        END)) AS n
    FROM gekozen
),
tijdvakken AS (
    SELECT
        *,
        CASE soort_tijdvak
            WHEN 'maand' THEN make_date(p_jaar, CAST(n AS INTEGER) + 1, 1)
            WHEN 'vierweken' THEN make_date(p_jaar, 1, 1) + CAST(28 * n AS INTEGER)
            ELSE greatest(make_date(p_jaar, 1, 1),
                          CAST(date_trunc('week', make_date(p_jaar, 1, 1)) AS DATE) + CAST(7 * n AS INTEGER))
        END AS tijdvak_begin,
        CASE soort_tijdvak
            WHEN 'maand' THEN last_day(make_date(p_jaar, CAST(n AS INTEGER) + 1, 1))
            WHEN 'vierweken' THEN CASE WHEN n = 12 THEN make_date(p_jaar, 12, 31)
                                       ELSE make_date(p_jaar, 1, 1) + CAST(28 * n + 27 AS INTEGER) END
            ELSE least(make_date(p_jaar, 12, 31),
                       CAST(date_trunc('week', make_date(p_jaar, 1, 1)) AS DATE) + CAST(7 * n + 6 AS INTEGER))
        END AS tijdvak_einde,
        i * 4096 + (p_jaar % 64) * 64 + n AS sleutel
    FROM genummerd
),
versie1 AS (
    SELECT
        *,
        CAST(round(uren_per_week * (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) / 7.0
                   * (0.9 + 0.2 * toeval(p_seed, sleutel, 'uren')), 2) AS DECIMAL(9, 2)) AS uren1,
        tijdvak_einde + 3 + CAST(floor(toeval(p_seed, sleutel, 'aanlever') * 25) AS INTEGER) AS aanlever1,
        toeval(p_seed, sleutel, 'correctie') AS u_correctie
    FROM tijdvakken
    WHERE NOT alleen_nulmeting OR tijdvak_einde >= make_date(p_jaar, 12, 1)
),
versies AS (
    SELECT *, unnest(CASE WHEN u_correctie < 0.02 THEN [1, 2] ELSE [1] END) AS volgnummer
    FROM versie1
)
SELECT
    bsn, loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde,
    CASE WHEN volgnummer = 1 THEN uren1
         WHEN toeval(p_seed, sleutel, 'correctie_uren') < 0.05 THEN -uren1
         ELSE CAST(round(uren1 * (0.6 + 0.8 * toeval(p_seed, sleutel, 'correctie_factor')), 2) AS DECIMAL(9, 2))
    END AS verloonde_uren,
    CAST(code_aard_arbeidsverhouding AS INTEGER) AS code_aard_arbeidsverhouding,
    CASE WHEN volgnummer = 1 THEN aanlever1
         ELSE aanlever1 + CAST(floor(toeval(p_seed, sleutel, 'correctie_datum') * 160) AS INTEGER)
    END AS aanleverdatum,
    CAST(volgnummer AS INTEGER) AS volgnummer
FROM versies;

-- The same rows as the source systems write CSV: text, decimal comma.
CREATE OR REPLACE MACRO polis_csv(bestand) AS TABLE
SELECT
    bsn, loonheffingennummer, ikv_id,
    strftime(tijdvak_begin, '%Y-%m-%d') AS tijdvak_begin,
    strftime(tijdvak_einde, '%Y-%m-%d') AS tijdvak_einde,
    replace(CAST(verloonde_uren AS VARCHAR), '.', ',') AS verloonde_uren,
    CAST(code_aard_arbeidsverhouding AS VARCHAR) AS code_aard_arbeidsverhouding,
    strftime(aanleverdatum, '%Y-%m-%d') AS aanleverdatum,
    CAST(volgnummer AS VARCHAR) AS volgnummer
FROM read_parquet(bestand);
