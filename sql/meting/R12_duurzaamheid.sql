-- step: meting.duurzaamheid
-- rule: R12 — Durability: still working a year later, at the same employer
-- reads: werk.persoon_jaar, werk.register_jaar, werk.telbare_uren, werk.meetjaren
--
-- For every measured year Y of the run with a previous measured year X in the run: among the
-- persons with werkt_X (werk.persoon_jaar), how many have werkt_Y (werkt_nog) and how many have
-- counted hours > 0 in Y at a loonheffingennummer at which they had counted hours > 0 in X
-- (zelfde_werkgever; per loonheffingennummer from werk.telbare_uren). Per grondslag of the person on 31 December of
-- X (werk.register_jaar: the first counting registration in the order of grondslag.csv; 'geen' for a
-- person counted by the whole-period rule R4 without a registration on that day) and per cel
-- holding the person's largest counted hours in X (ties: formeel_markt, formeel_overheid, inleen).
DELETE FROM meting.duurzaamheid WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.duurzaamheid
WITH paren AS (
    SELECT jaar, basisjaar FROM (SELECT jaar, lag(jaar) OVER (ORDER BY jaar) AS basisjaar FROM werk.meetjaren)
    WHERE basisjaar IS NOT NULL
),
basis AS (
    SELECT
        p.jaar, p.basisjaar, x.persoon_id,
        coalesce(r.grondslag, 'geen') AS grondslag,
        CASE
            WHEN x.uren_formeel_markt >= greatest(x.uren_formeel_overheid, x.uren_inleen) THEN 'formeel_markt'
            WHEN x.uren_formeel_overheid >= x.uren_inleen THEN 'formeel_overheid'
            ELSE 'inleen'
        END AS cel
    FROM paren AS p
    JOIN werk.persoon_jaar AS x ON x.jaar = p.basisjaar
    LEFT JOIN werk.register_jaar AS r ON r.jaar = p.basisjaar AND r.persoon_id = x.persoon_id
    WHERE x.werkt
),
-- counted hours > 0 per person and employer, in the years of the run
werkgever AS (
    SELECT jaar, persoon_id, loonheffingennummer
    FROM werk.telbare_uren
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY jaar, persoon_id, loonheffingennummer
    HAVING sum(uren_venster) > 0
),
zelfde AS (
    SELECT DISTINCT p.jaar, wy.persoon_id
    FROM paren AS p
    JOIN werkgever AS wy ON wy.jaar = p.jaar
    JOIN werkgever AS wx
      ON wx.jaar = p.basisjaar AND wx.persoon_id = wy.persoon_id AND wx.loonheffingennummer = wy.loonheffingennummer
)
SELECT
    b.jaar, b.basisjaar, b.grondslag, b.cel,
    count(*) AS personen_basisjaar,
    count(*) FILTER (WHERE y.werkt) AS werkt_nog,
    count(z.persoon_id) AS zelfde_werkgever
FROM basis AS b
LEFT JOIN werk.persoon_jaar AS y ON y.jaar = b.jaar AND y.persoon_id = b.persoon_id
LEFT JOIN zelfde AS z ON z.jaar = b.jaar AND z.persoon_id = b.persoon_id
GROUP BY b.jaar, b.basisjaar, b.grondslag, b.cel
ORDER BY b.jaar, b.grondslag, b.cel;
