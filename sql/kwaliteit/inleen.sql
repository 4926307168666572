-- Great Expectations frame 'inleen': the accepted rows of the optional inleen/ extract
-- (docs/EXTRACTS.md §6). One row per accepted row of staging.inleen; validated by the suite 'inleen'
-- in pipeline/kwaliteit/gx.py. bron_bestand + regelnummer trace a failure to its input line.
-- Parameters: none.
SELECT
    bron_bestand, regelnummer, uitlener_loonheffingennummer, inlener_loonheffingennummer, persoon_id, jaar,
    CAST(verloonde_uren AS DOUBLE) AS verloonde_uren
FROM staging.inleen
ORDER BY bron_bestand, regelnummer
