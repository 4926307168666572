-- Great Expectations frame 'werkgevers': the accepted employer register versions (docs/EXTRACTS.md §2).
-- One row per accepted row of staging.werkgevers; validated by the suite 'werkgevers' in
-- pipeline/kwaliteit/gx.py. bron_bestand + regelnummer let a failure be traced to its input line.
-- Parameters: none.
SELECT
    bron_bestand, regelnummer,
    loonheffingennummer, naam, geldig_vanaf, geldig_tot, sector_risicogroep,
    overheidswerkgever, uren_sectorfonds_aandeel, overheidssector, sw_bedrijf, arbeidsmarktregio
FROM staging.werkgevers
ORDER BY loonheffingennummer, geldig_vanaf, bron_bestand, regelnummer
