-- tid_i_insats_ar.kvartiler: p25_dagar <= median_dagar <= p75_dagar, and all three exactly when something ended.
-- The rows that break the rule; none = passed.
select forbund, insats, ar from marts.tid_i_insats_ar
where (p25_dagar is null) <> (avslutade = 0) or (median_dagar is null) <> (avslutade = 0)
   or (p75_dagar is null) <> (avslutade = 0) or p25_dagar > median_dagar
   or median_dagar > p75_dagar
