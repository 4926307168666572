-- step: meting.verdeelsleutel
-- rule: R7 — The inleen verdeelsleutel of every year of the run
-- reads: ref.verdeelsleutel, werk.meetjaren
--
-- The published key of year Y from ref.verdeelsleutel (SEO, December hours), or — only for a year
-- without one — the provisional key passed explicitly for the run (werk.meetjaren
-- .voorlopig_aandeel_markt), which marks every output row of that year provisional. A provisional
-- key for a year that has a published one, a share outside [0, 1], or a year without any key is
-- an error naming the year(s).
SELECT CASE WHEN count(*) > 0 THEN error(
    'Meetjaar ' || string_agg(m.jaar, ', ' ORDER BY m.jaar) || ' heeft een gepubliceerde verdeelsleutel in '
    || 'data/reference/verdeelsleutel.csv; een voorlopige sleutel is alleen toegestaan voor een jaar zonder '
    || 'gepubliceerde sleutel')
END
FROM werk.meetjaren AS m JOIN ref.verdeelsleutel AS r USING (jaar)
WHERE m.voorlopig_aandeel_markt IS NOT NULL;

SELECT CASE WHEN count(*) > 0 THEN error(
    'Voorlopige verdeelsleutel voor ' || string_agg(jaar, ', ' ORDER BY jaar)
    || ' moet een aandeel markt tussen 0 en 1 zijn, niet ' || string_agg(voorlopig_aandeel_markt, ', ' ORDER BY jaar))
END
FROM werk.meetjaren WHERE voorlopig_aandeel_markt NOT BETWEEN 0 AND 1;

SELECT CASE WHEN count(*) > 0 THEN error(
    'Geen verdeelsleutel voor meetjaar ' || string_agg(m.jaar, ', ' ORDER BY m.jaar)
    || ' in data/reference/verdeelsleutel.csv; geef een voorlopige sleutel op ('
    || string_agg('--provisional-key ' || m.jaar || '=AANDEEL_MARKT', ' ' ORDER BY m.jaar) || ')')
END
FROM werk.meetjaren AS m LEFT JOIN ref.verdeelsleutel AS r USING (jaar)
WHERE r.jaar IS NULL AND m.voorlopig_aandeel_markt IS NULL;

DELETE FROM meting.verdeelsleutel WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.verdeelsleutel
SELECT m.jaar,
       coalesce(m.voorlopig_aandeel_markt, r.aandeel_markt) AS aandeel_markt,
       -- 1 − share in decimals: 1 − 0.7 is 0.3, not 0.30000000000000004
       CASE WHEN m.voorlopig_aandeel_markt IS NOT NULL
            THEN CAST(1 - CAST(m.voorlopig_aandeel_markt AS DECIMAL(10, 9)) AS DOUBLE)
            ELSE r.aandeel_overheid END AS aandeel_overheid,
       m.voorlopig_aandeel_markt IS NOT NULL AS voorlopig,
       CASE WHEN m.voorlopig_aandeel_markt IS NOT NULL
            THEN 'voorlopige sleutel, expliciet opgegeven bij de run (METHOD R7)' ELSE r.bron END AS bron
FROM werk.meetjaren AS m LEFT JOIN ref.verdeelsleutel AS r USING (jaar)
ORDER BY m.jaar;
