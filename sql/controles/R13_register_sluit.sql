-- Blocking check register_sluit (METHOD R13), run by the meting step after sql/meting: one row per
-- year of the run whose register flows do not close, none when they do:
-- doelgroep_omvang(Y) = doelgroep_omvang(X) + instroom(Y) − uitstroom(Y), exactly (integers), with
-- doelgroep_omvang from meting.personen (R10) and X the previous measured year of the run.
WITH paren AS (
    SELECT jaar, basisjaar FROM (SELECT jaar, lag(jaar) OVER (ORDER BY jaar) AS basisjaar FROM werk.meetjaren)
    WHERE basisjaar IS NOT NULL
),
stromen AS (
    SELECT jaar, basisjaar, sum(instroom) AS instroom, sum(uitstroom) AS uitstroom
    FROM meting.register_stromen GROUP BY jaar, basisjaar
)
SELECT p.jaar, p.basisjaar,
       'doelgroep_omvang ' || coalesce(py.doelgroep_omvang, 0) || ' <> ' || coalesce(px.doelgroep_omvang, 0)
           || ' + instroom ' || coalesce(s.instroom, 0) || ' - uitstroom ' || coalesce(s.uitstroom, 0) AS afwijking
FROM paren AS p
LEFT JOIN stromen AS s ON s.jaar = p.jaar AND s.basisjaar = p.basisjaar
LEFT JOIN meting.personen AS py ON py.jaar = p.jaar
LEFT JOIN meting.personen AS px ON px.jaar = p.basisjaar
WHERE py.doelgroep_omvang IS NULL OR px.doelgroep_omvang IS NULL
   OR py.doelgroep_omvang <> px.doelgroep_omvang + coalesce(s.instroom, 0) - coalesce(s.uitstroom, 0)
ORDER BY p.jaar;
