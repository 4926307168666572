-- The BSNs present in one doelgroepregister file, collected (transiently, in a temporary table
-- of the polis ingestion's connection) so the polis pass can tell which payroll rows belong to
-- persons who are in the register at all: only those can ever be counted (METHOD R4).
-- Input: the temporary view `bron` over one register file (see pipeline/ingest/reader.py).
CREATE TEMP TABLE IF NOT EXISTS register_bsn (bsn VARCHAR);
INSERT INTO register_bsn
SELECT DISTINCT schoon(bsn) FROM bron
WHERE schoon(bsn) IS NOT NULL;
