-- METHOD R6 (first half) — Which register version of each employer applies in year $jaar.
-- The version valid on the last day of Y−1 ($peildatum_werkgever); an employer with no version
-- then takes its earliest version that starts in year Y.
-- Parameters: $jaar, $peildatum_werkgever.
DELETE FROM werk.werkgever_peildatum WHERE jaar = $jaar;

INSERT INTO werk.werkgever_peildatum
SELECT
    $jaar AS jaar, loonheffingennummer, $peildatum_werkgever AS peildatum, geldig_vanaf,
    sector_risicogroep, overheidswerkgever, uren_sectorfonds_aandeel, overheidssector,
    sw_bedrijf, arbeidsmarktregio
FROM staging.werkgevers
WHERE (geldig_vanaf <= $peildatum_werkgever
       AND coalesce(geldig_tot, DATE '9999-12-31') >= $peildatum_werkgever)
   OR year(geldig_vanaf) = $jaar
QUALIFY row_number() OVER (
    PARTITION BY loonheffingennummer
    -- the version valid on the peildatum first, then the earliest one starting in Y
    ORDER BY (geldig_vanaf <= $peildatum_werkgever) DESC, geldig_vanaf
) = 1;
