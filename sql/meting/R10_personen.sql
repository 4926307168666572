-- step: meting.personen
-- rule: R10 — Persons
-- reads: werk.telbare_uren, staging.doelgroepregister, ref.regeling_grondslag, meting.verdeelsleutel, werk.meetjaren
--
-- werkzame_personen(Y): distinct persons with counted hours > 0 in the window after R4–R5
-- (formal or inleen; excluded jobs do not count). doelgroep_omvang(Y): distinct persons with a
-- counting registration (macro telbare_registratie, as R4: under the regime of the year) valid on venster_einde (31 December
-- of Y). Persons are counted by grouping, not count(DISTINCT) (faster at national scale).
DELETE FROM meting.personen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.personen BY NAME
WITH werkzaam AS (
    SELECT jaar, count(*) AS personen FROM (
        SELECT jaar, persoon_id FROM werk.telbare_uren
        WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
        GROUP BY jaar, persoon_id HAVING sum(uren_venster) > 0
    ) GROUP BY jaar
),
doelgroep AS (
    SELECT jaar, count(*) AS personen FROM (
        SELECT m.jaar, r.persoon_id
        FROM staging.doelgroepregister AS r
        JOIN werk.meetjaren AS m
          ON overlapt(r.datum_ingang, r.datum_einde, m.venster_einde, m.venster_einde)
        WHERE telbare_registratie(m.jaar, r.grondslag, r.datum_ingang, r.datum_einde)
        GROUP BY m.jaar, r.persoon_id
    ) GROUP BY jaar
)
SELECT m.jaar, coalesce(w.personen, 0) AS werkzame_personen, coalesce(d.personen, 0) AS doelgroep_omvang,
       s.voorlopig, m.regeling
FROM werk.meetjaren AS m
LEFT JOIN werkzaam AS w USING (jaar)
LEFT JOIN doelgroep AS d USING (jaar)
LEFT JOIN meting.verdeelsleutel AS s USING (jaar)
ORDER BY m.jaar;
