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
-- Parameters: $jaren INTEGER[], $voorlopig_jaren INTEGER[], $voorlopig_aandelen DOUBLE[],
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
    p.uren_per_baan_per_week
FROM jaren AS j
CROSS JOIN p
LEFT JOIN voorlopig AS v USING (jaar)
LEFT JOIN afsluiting AS a USING (jaar)
ORDER BY j.jaar;
