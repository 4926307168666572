-- Rule across rows of the werkgevers extract (docs/EXTRACTS.md §2), run after every werkgevers file
-- is ingested. Marks rows that were accepted so far.

-- Versions of one employer must not overlap: every accepted version that overlaps another
-- version of the same employer is rejected (which one is right cannot be decided).
UPDATE ingest.werkgevers AS w
SET regel = 'versies_overlappen', kolom = 'geldig_vanaf', waarde = CAST(w.geldig_vanaf AS VARCHAR),
    melding = 'versie overlapt met een andere versie van dezelfde werkgever'
WHERE w.regel IS NULL
  AND EXISTS (
    SELECT 1 FROM ingest.werkgevers AS o
    WHERE o.regel IS NULL
      AND o.loonheffingennummer = w.loonheffingennummer
      AND (o.bron_bestand, o.regelnummer) <> (w.bron_bestand, w.regelnummer)
      AND o.geldig_vanaf <= coalesce(w.geldig_tot, DATE '9999-12-31')
      AND w.geldig_vanaf <= coalesce(o.geldig_tot, DATE '9999-12-31')
  );
