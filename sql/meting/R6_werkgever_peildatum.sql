-- step: werk.werkgever_peildatum
-- rule: R6 (first half) — Which register version of each employer applies in year Y
-- reads: staging.werkgevers, werk.meetjaren
--
-- The version valid on the last day of Y−1 (the peildatum); an employer with no version then
-- takes its earliest version that starts in year Y.
DELETE FROM werk.werkgever_peildatum WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.werkgever_peildatum
WITH peil AS (SELECT jaar, make_date(jaar - 1, 12, 31) AS peildatum FROM werk.meetjaren)
SELECT
    p.jaar, w.loonheffingennummer, p.peildatum, w.geldig_vanaf,
    w.sector_risicogroep, w.overheidswerkgever, w.uren_sectorfonds_aandeel, w.overheidssector,
    w.sw_bedrijf, w.arbeidsmarktregio
FROM staging.werkgevers AS w
JOIN peil AS p
  ON (w.geldig_vanaf <= p.peildatum AND coalesce(w.geldig_tot, DATE '9999-12-31') >= p.peildatum)
  OR year(w.geldig_vanaf) = p.jaar
QUALIFY row_number() OVER (
    PARTITION BY p.jaar, w.loonheffingennummer
    -- the version valid on the peildatum first, then the earliest one starting in Y
    ORDER BY (w.geldig_vanaf <= p.peildatum) DESC, w.geldig_vanaf
) = 1;
