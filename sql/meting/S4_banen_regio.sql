-- step: meting.banen_regio
-- rule: §4 — Banen per arbeidsmarktregio, by residence and by employer
-- reads: werk.toegerekende_uren, staging.doelgroepregister, ref.regeling_grondslag, werk.meetjaren
--
-- indeling 'woonregio': the person's residence region, from the person's latest counting
-- registration (macro telbare_registratie, as R4) starting on or before the end of the window;
-- indeling 'werkgeverregio': the employer's region (R6 version). Inleen hours of a region are
-- split with the year's verdeelsleutel like the total (R7, view werk.toegerekende_uren).
-- banen as R8 (macro uren_per_baan_in_venster).
DELETE FROM meting.banen_regio WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.banen_regio BY NAME
WITH woonregio AS (
    SELECT m.jaar, r.persoon_id, r.woonregio
    FROM staging.doelgroepregister AS r
    JOIN werk.meetjaren AS m ON r.datum_ingang <= m.venster_einde
    WHERE telbare_registratie(m.jaar, r.grondslag, r.datum_ingang, r.datum_einde)
    QUALIFY row_number() OVER (PARTITION BY m.jaar, r.persoon_id ORDER BY r.datum_ingang DESC, r.woonregio) = 1
),
cellen AS (
    SELECT t.jaar, 'woonregio' AS indeling, coalesce(w.woonregio, 'onbekend') AS arbeidsmarktregio,
           t.sector, t.vorm, CAST(sum(t.uren_venster) * any_value(t.aandeel) AS DOUBLE) AS uren,
           bool_or(t.voorlopig) AS voorlopig
    FROM werk.toegerekende_uren AS t LEFT JOIN woonregio AS w USING (jaar, persoon_id)
    WHERE t.jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY ALL
    UNION ALL
    SELECT jaar, 'werkgeverregio', coalesce(werkgever_regio, 'onbekend'), sector, vorm,
           CAST(sum(uren_venster) * any_value(aandeel) AS DOUBLE), bool_or(voorlopig)
    FROM werk.toegerekende_uren
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY ALL
)
SELECT
    c.jaar, c.indeling, c.arbeidsmarktregio, c.sector, c.vorm, c.uren,
    c.uren / uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde) AS banen,
    c.voorlopig, m.regeling
FROM cellen AS c JOIN werk.meetjaren AS m USING (jaar)
ORDER BY c.jaar, c.indeling, c.arbeidsmarktregio, c.sector, c.vorm;
