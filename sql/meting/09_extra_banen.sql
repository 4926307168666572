-- METHOD R9 — Extra banen against the nulmeting and the target.
-- extra_banen(Y) = banen(Y) − banen(nulmeting jaar) per sector × vorm; sector totals are sums of
-- unrounded cells. Each sector (and the total) is compared with the cumulative target of Y
-- (ref.doelstelling): verschil = extra − doelstelling, realisatie_pct = 100 × extra / doelstelling.
-- A missing nulmeting is an error: year $nulmeting_jaar must be measured first.
-- Parameters: $jaar, $nulmeting_jaar.
SELECT CASE WHEN count(*) = 0 THEN error(
    'De nulmeting (' || $nulmeting_jaar || ') is nog niet gemeten; meet eerst jaar '
    || $nulmeting_jaar || ' (banenafspraak run ... --year ' || $nulmeting_jaar || ')')
END
FROM werk.banen_per_cel WHERE jaar = $nulmeting_jaar;

DELETE FROM meting.banen WHERE jaar = $jaar;
INSERT INTO meting.banen
SELECT
    b.jaar, b.sector, b.vorm, b.uren, b.banen,
    n.banen AS banen_nulmeting,
    b.banen - n.banen AS extra_banen,
    b.voorlopig
FROM werk.banen_per_cel AS b
JOIN werk.banen_per_cel AS n
  ON n.jaar = $nulmeting_jaar AND n.sector = b.sector AND n.vorm = b.vorm
WHERE b.jaar = $jaar;

DELETE FROM meting.realisatie WHERE jaar = $jaar;
INSERT INTO meting.realisatie
WITH per_sector AS (
    SELECT sector, sum(extra_banen) AS extra_banen, bool_or(voorlopig) AS voorlopig
    FROM meting.banen WHERE jaar = $jaar GROUP BY sector
    UNION ALL
    SELECT 'totaal', sum(extra_banen), bool_or(voorlopig)
    FROM meting.banen WHERE jaar = $jaar
),
doel AS (
    SELECT sector, doelstelling FROM ref.doelstelling WHERE jaar = $jaar
    UNION ALL
    SELECT 'totaal', sum(doelstelling) FROM ref.doelstelling WHERE jaar = $jaar HAVING count(*) > 0
)
SELECT
    $jaar, p.sector, p.extra_banen, d.doelstelling,
    p.extra_banen - d.doelstelling AS verschil,
    100.0 * p.extra_banen / nullif(d.doelstelling, 0) AS realisatie_pct,
    p.voorlopig
FROM per_sector AS p
LEFT JOIN doel AS d ON d.sector = p.sector;

DELETE FROM meting.verdeelsleutel WHERE jaar = $jaar;
INSERT INTO meting.verdeelsleutel
SELECT jaar, aandeel_markt, aandeel_overheid, voorlopig, bron FROM werk.verdeelsleutel WHERE jaar = $jaar;
