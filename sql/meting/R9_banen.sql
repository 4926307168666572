-- step: meting.banen
-- rule: R9 — Extra banen against the nulmeting
-- reads: werk.banen_per_cel, werk.meetjaren
--
-- extra_banen(Y) = banen(Y) − banen(nulmeting jaar) per sector × vorm. The nulmeting is measured
-- in the same run as every year compared with it (pipeline: the run's years always include it),
-- so a year is never compared with a nulmeting of another run. A missing nulmeting is an error.
-- R14: each row names the regime it was measured under (werk.meetjaren.regeling); a scenario
-- measures the nulmeting under the same regime, so the comparison stays like with like.
SELECT CASE WHEN count(*) > 0 THEN error(
    'De nulmeting (' || any_value(m.nulmeting_jaar) || ') is niet gemeten; '
    || 'meet jaar ' || any_value(m.nulmeting_jaar) || ' mee (banenafspraak run ... --year ' || any_value(m.nulmeting_jaar) || ')')
END
FROM werk.meetjaren AS m
WHERE NOT EXISTS (SELECT 1 FROM werk.banen_per_cel AS n WHERE n.jaar = m.nulmeting_jaar);

DELETE FROM meting.banen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.banen BY NAME
SELECT
    b.jaar, b.sector, b.vorm, b.uren, b.banen,
    n.banen AS banen_nulmeting,
    b.banen - n.banen AS extra_banen,
    b.voorlopig,
    m.regeling
FROM werk.banen_per_cel AS b
JOIN werk.meetjaren AS m USING (jaar)
JOIN werk.banen_per_cel AS n
  ON n.jaar = m.nulmeting_jaar AND n.sector = b.sector AND n.vorm = b.vorm
ORDER BY b.jaar, b.sector, b.vorm;
