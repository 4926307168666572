-- Every distinct BSN of the doelgroepregister files with its pseudonym (persoon_id =
-- HMAC-SHA256(key, bsn), the macro pseudoniem), computed once per person instead of once per payroll
-- row: the polis pass looks a kept row's persoon_id up here (sql/ingest/polis.sql). Transient, in a
-- temporary table of the polis ingestion's connection, like register_bsn it is made from
-- (sql/ingest/register_bsn.sql); never stored.
-- Parameters: $hmac_ipad / $hmac_opad (the key XOR-ed with the HMAC pads).
CREATE OR REPLACE TEMP TABLE register_pseudoniem AS
SELECT bsn, pseudoniem(bsn, $hmac_ipad, $hmac_opad) AS persoon_id
FROM (SELECT DISTINCT bsn FROM register_bsn);
