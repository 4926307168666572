-- The years of the run and their parameters (METHOD R1, R2, R7, R8) — run at the start of every
-- measuring step of a run (pipeline/meting, pipeline/audit), so every step sees the same years.
-- Writes werk.meetjaren; reads ref.parameters.
--
-- One row per year the run measures ($jaren, the nulmeting included): the measurement window
-- (R2: meetperiode_begin/einde_maand_dag of year Y, i.e. 1–31 December), the cut-off date (R1:
-- afsluitdatum_maand_dag of Y+1, or a date passed explicitly for that year), an explicit
-- provisional verdeelsleutel where the run passed one (R7), and the scalar parameters every step
-- uses (R6 sectorfonds threshold, R8 hours per baan). Every later step joins this table: no step
-- receives a year or a parameter from Python.
-- METHOD R14: every year gets its regime (regeling): the scenario's regime where the run is a
-- scenario ($regeling not NULL), else the regime official for that year — the one whose confirmed
-- first measurement year (ref.regeling) is the latest on or before the year. Every rule that
-- depends on the regime joins werk.meetjaren on it; no regime is named in SQL.
-- Parameters: $regeling VARCHAR (NULL: the official regime of every year), $jaren INTEGER[], $voorlopig_jaren INTEGER[], $voorlopig_aandelen DOUBLE[],
--             $afsluit_jaren INTEGER[], $afsluit_datums DATE[] (the last four: run options).
CREATE OR REPLACE TABLE werk.meetjaren AS
WITH p AS (
    SELECT
        CAST(any_value(waarde) FILTER (WHERE naam = 'nulmeting_jaar') AS INTEGER) AS nulmeting_jaar,
        any_value(waarde) FILTER (WHERE naam = 'meetperiode_begin_maand_dag') AS begin_md,
        any_value(waarde) FILTER (WHERE naam = 'meetperiode_einde_maand_dag') AS einde_md,
        any_value(waarde) FILTER (WHERE naam = 'afsluitdatum_maand_dag') AS afsluit_md,
        CAST(any_value(waarde) FILTER (WHERE naam = 'sectorfonds_drempel') AS DOUBLE) AS sectorfonds_drempel,
        CAST(any_value(waarde) FILTER (WHERE naam = 'uren_per_baan_per_week') AS DOUBLE) AS uren_per_baan_per_week
    FROM ref.parameters
),
jaren AS (SELECT DISTINCT CAST(unnest($jaren) AS INTEGER) AS jaar),
voorlopig AS (
    SELECT CAST(unnest($voorlopig_jaren) AS INTEGER) AS jaar, CAST(unnest($voorlopig_aandelen) AS DOUBLE) AS aandeel
),
afsluiting AS (
    SELECT CAST(unnest($afsluit_jaren) AS INTEGER) AS jaar, CAST(unnest($afsluit_datums) AS DATE) AS datum
)
SELECT
    j.jaar,
    p.nulmeting_jaar,
    maand_dag(j.jaar, p.begin_md) AS venster_begin,
    maand_dag(j.jaar, p.einde_md) AS venster_einde,
    coalesce(a.datum, maand_dag(j.jaar + 1, p.afsluit_md)) AS afsluitdatum,
    a.datum IS NOT NULL AS afsluitdatum_opgegeven,
    v.aandeel AS voorlopig_aandeel_markt,
    p.sectorfonds_drempel,
    p.uren_per_baan_per_week,
    r.regeling,
    r.doelstelling_per,
    CAST($regeling AS VARCHAR) IS NOT NULL AS scenario
FROM jaren AS j
CROSS JOIN p
LEFT JOIN voorlopig AS v USING (jaar)
LEFT JOIN afsluiting AS a USING (jaar)
LEFT JOIN ref.regeling AS r ON r.regeling = coalesce(CAST($regeling AS VARCHAR), (
    SELECT arg_max(o.regeling, o.eerste_meetjaar) FROM ref.regeling AS o
    WHERE o.eerste_meetjaar_bevestigd AND o.eerste_meetjaar <= j.jaar))
ORDER BY j.jaar;

SELECT CASE WHEN count(*) > 0 THEN error(
    CASE WHEN CAST($regeling AS VARCHAR) IS NOT NULL
         THEN 'Regeling ''' || CAST($regeling AS VARCHAR) || ''' staat niet in data/reference/regeling.csv; kies een van: '
              || (SELECT string_agg(regeling, ', ' ORDER BY regeling) FROM ref.regeling) || '.'
         ELSE 'Voor jaar ' || min(jaar) || ' geldt geen regeling: geen bevestigd eerste_meetjaar op of vóór dat jaar '
              || 'in data/reference/regeling.csv.' END)
END
FROM werk.meetjaren WHERE regeling IS NULL;
