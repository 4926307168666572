-- step: quotum.werkgevers
-- rule: R17 — Quotum per employer (Wfsv art. 34, 38e–38h, 122na; Besluit Wfsv art. 2.20–2.33)
-- reads: werk.werkgever_totalen, werk.quotum_uren, quotum.inleen, ref.parameters, ref.quotumpercentage, ref.quotumheffing, werk.meetjaren
--
-- Per year Y and employer (every employer with payroll in Y, R15, or in an inleen row of Y), every
-- variable of the law as a column:
--   A = uren_totaal (R15), A(Y−1) = uren_totaal_vorig_jaar (NULL: no data, counts as below);
--   quotumplichtig = A(Y−1) ≥ drempel AND A(Y) ≥ drempel (quotum_drempel_uren = 25 × 1,623);
--   B = quotumpercentage of the employer's sector (R6) for Y (ref.quotumpercentage; none: no tekort);
--   C = uren_arbeidsbeperkten = own hours (werk.quotum_uren) + uren_ingeleend_bij − uren_uitgeleend_af
--       (quotum.inleen, capped);
--   D = uren_per_baan (quotum_uren_per_baan_per_jaar, 1,331);
--   uren_quotum = A × B rounded down to 2 decimals, with A and C rounded down to 2 decimals first
--       (Besluit Wfsv art. 2.22);
--   quotumtekort = max(0, (A × B − C) / D) rounded DOWN to one decimal (art. 2.23), exactly: in
--       integer hundredths of an hour, never in floating point;
--   heffing = quotumtekort × heffing_per_baan (€ 5,000, Wfsv art. 38h lid 4) only when
--       ref.quotumheffing says the levy is active for the sector and year (so far never: Wfsv art.
--       122na), else 0;
--   reden = why there is no tekort or no levy (NULL only when a levy is due).
DELETE FROM quotum.werkgevers WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO quotum.werkgevers
WITH p AS (
    SELECT
        CAST(any_value(waarde) FILTER (WHERE naam = 'quotum_drempel_uren') AS DECIMAL(38, 6)) AS drempel,
        CAST(any_value(waarde) FILTER (WHERE naam = 'quotum_uren_per_baan_per_jaar') AS DECIMAL(10, 2)) AS d,
        CAST(any_value(waarde) FILTER (WHERE naam = 'quotumheffing_per_ontbrekende_baan') AS DECIMAL(12, 2)) AS heffing
    FROM ref.parameters
),
eigen AS (
    SELECT jaar, loonheffingennummer, sum(uren) AS uren
    FROM werk.quotum_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
ingeleend AS (
    SELECT jaar, inlener_loonheffingennummer AS loonheffingennummer, sum(uren_verrekend) AS uren
    FROM quotum.inleen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
uitgeleend AS (
    SELECT jaar, uitlener_loonheffingennummer AS loonheffingennummer, sum(uren_verrekend) AS uren
    FROM quotum.inleen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
werkgevers AS (
    SELECT jaar, loonheffingennummer FROM werk.werkgever_totalen WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    UNION SELECT jaar, loonheffingennummer FROM ingeleend
    UNION SELECT jaar, loonheffingennummer FROM uitgeleend
),
variabelen AS (
    SELECT
        w.jaar, w.loonheffingennummer, t.sector,
        coalesce(t.uren_totaal, 0) AS a, t.uren_totaal_vorig_jaar AS a_vorig, p.drempel,
        coalesce(t.uren_totaal, 0) >= p.drempel AND coalesce(t.uren_totaal_vorig_jaar, 0) >= p.drempel
            AS quotumplichtig,
        b.quotumpercentage AS b,
        coalesce(e.uren, 0) AS c_eigen, coalesce(i.uren, 0) AS c_in, coalesce(u.uren, 0) AS c_uit,
        coalesce(e.uren, 0) + coalesce(i.uren, 0) - coalesce(u.uren, 0) AS c,
        p.d, p.heffing AS heffing_per_baan,
        coalesce(h.heffing_actief, false) AS heffing_actief
    FROM werkgevers AS w
    CROSS JOIN p
    LEFT JOIN werk.werkgever_totalen AS t USING (jaar, loonheffingennummer)
    LEFT JOIN eigen AS e USING (jaar, loonheffingennummer)
    LEFT JOIN ingeleend AS i USING (jaar, loonheffingennummer)
    LEFT JOIN uitgeleend AS u USING (jaar, loonheffingennummer)
    LEFT JOIN ref.quotumpercentage AS b ON b.jaar = w.jaar AND b.sector = t.sector
    LEFT JOIN ref.quotumheffing AS h ON h.sector = t.sector AND w.jaar BETWEEN h.jaar_van AND h.jaar_tot
),
berekend AS (
    SELECT
        *,
        -- art. 2.22, in whole hundredths of an hour (exact decimals, no floating point): A and C
        -- down to 2 decimals, A × B (B a percentage) down to 2 decimals
        CAST(floor(floor(a * 100) * b * CAST(0.01 AS DECIMAL(3, 2))) AS HUGEINT) AS quotum_honderdsten,
        CAST(floor(c * 100) AS HUGEINT) AS c_honderdsten
    FROM variabelen
),
tekort AS (
    SELECT
        *,
        -- art. 2.23: max(0, (A×B − C) / D) down to one decimal: tenths = floor(10 × shortfall / D)
        CASE WHEN quotumplichtig AND b IS NOT NULL THEN
            CAST(greatest(quotum_honderdsten - c_honderdsten, 0) * 10 // CAST(d * 100 AS HUGEINT) AS DECIMAL(12, 1))
                * CAST(0.1 AS DECIMAL(2, 1))
        END AS quotumtekort,
        CAST(quotum_honderdsten AS DECIMAL(38, 2)) * CAST(0.01 AS DECIMAL(3, 2)) AS uren_quotum
    FROM berekend
)
SELECT
    jaar, loonheffingennummer, sector, a AS uren_totaal, a_vorig AS uren_totaal_vorig_jaar,
    drempel AS quotum_drempel_uren, quotumplichtig, b AS quotumpercentage,
    c_eigen AS uren_arbeidsbeperkten_eigen, c_in AS uren_ingeleend_bij, c_uit AS uren_uitgeleend_af,
    c AS uren_arbeidsbeperkten,
    CASE WHEN quotumplichtig AND b IS NOT NULL THEN uren_quotum END AS uren_quotum,
    d AS uren_per_baan, CAST(quotumtekort AS DECIMAL(10, 1)) AS quotumtekort,
    heffing_per_baan, heffing_actief,
    CAST(CASE WHEN heffing_actief AND quotumtekort > 0 THEN quotumtekort * heffing_per_baan ELSE 0 END
         AS DECIMAL(12, 2)) AS heffing,
    CASE
        WHEN a_vorig IS NULL AND a < drempel
            THEN 'niet quotumplichtig: geen loongegevens over ' || (jaar - 1) || ' en A(' || jaar || ') onder de drempel'
        WHEN a_vorig IS NULL
            THEN 'niet quotumplichtig: geen loongegevens over ' || (jaar - 1) || ' (telt als onder de drempel)'
        WHEN a_vorig < drempel AND a < drempel
            THEN 'niet quotumplichtig: A(' || (jaar - 1) || ') en A(' || jaar || ') onder de drempel'
        WHEN a_vorig < drempel THEN 'niet quotumplichtig: A(' || (jaar - 1) || ') onder de drempel'
        WHEN a < drempel THEN 'niet quotumplichtig: A(' || jaar || ') onder de drempel'
        WHEN sector IS NULL THEN 'geen tekort: sector onbekend (geen registerversie)'
        WHEN b IS NULL THEN 'geen tekort: geen gepubliceerd quotumpercentage voor sector ' || sector || ' in ' || jaar
        WHEN quotumtekort = 0 THEN 'geen tekort: C is ten minste A x B (of het tekort is kleiner dan 0,1 baan)'
        WHEN NOT heffing_actief
            THEN 'geen heffing: de quotumheffing is voor sector ' || sector || ' in ' || jaar
                 || ' niet actief (Wfsv art. 122na); het tekort wordt wel vastgesteld'
    END AS reden
FROM tekort;
