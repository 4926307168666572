-- step: meting.realisatie
-- rule: R9 — Extra banen against the cumulative target
-- reads: meting.banen, ref.doelstelling, werk.meetjaren
--
-- Each sector (and the total) is compared with the cumulative target of Y (ref.doelstelling):
-- verschil = extra − doelstelling, realisatie_pct = 100 × extra / doelstelling. Sector totals are
-- sums of unrounded cells. A year without a target (the nulmeting, 2013–14) gets NULL.
-- R14: the regime of the year says which targets apply (werk.meetjaren.doelstelling_per): 'sector'
-- compares each sector with its own path and the total with their sum; 'landelijk' has one
-- national target only — the total of the path (ref.doelstelling summed over the sectors) — so the
-- sector rows get no target and realisation is measured against the national total.
DELETE FROM meting.realisatie WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.realisatie BY NAME
WITH per_sector AS (
    SELECT jaar, sector, sum(extra_banen) AS extra_banen, bool_or(voorlopig) AS voorlopig
    FROM meting.banen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY jaar, sector
    UNION ALL
    SELECT jaar, 'totaal', sum(extra_banen), bool_or(voorlopig)
    FROM meting.banen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY jaar
),
doel AS (
    SELECT d.jaar, d.sector, d.doelstelling
    FROM ref.doelstelling AS d JOIN werk.meetjaren AS m USING (jaar)
    WHERE m.doelstelling_per = 'sector'
    UNION ALL
    SELECT jaar, 'totaal', sum(doelstelling) FROM ref.doelstelling GROUP BY jaar
)
SELECT
    p.jaar, p.sector, p.extra_banen, d.doelstelling,
    p.extra_banen - d.doelstelling AS verschil,
    100.0 * p.extra_banen / nullif(d.doelstelling, 0) AS realisatie_pct,
    p.voorlopig,
    m.regeling
FROM per_sector AS p
JOIN werk.meetjaren AS m USING (jaar)
LEFT JOIN doel AS d USING (jaar, sector)
ORDER BY p.jaar, p.sector;
