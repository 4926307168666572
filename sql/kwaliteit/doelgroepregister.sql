-- Great Expectations frame 'doelgroepregister': the accepted register intervals (docs/EXTRACTS.md §3).
-- One row per accepted row of staging.doelgroepregister (persoon_id is the pseudonym, never a BSN);
-- validated by the suite 'doelgroepregister' in pipeline/kwaliteit/gx.py.
-- Parameters: none.
SELECT
    bron_bestand, regelnummer,
    persoon_id, grondslag, datum_ingang, datum_einde, woonregio
FROM staging.doelgroepregister
ORDER BY persoon_id, datum_ingang, bron_bestand, regelnummer
