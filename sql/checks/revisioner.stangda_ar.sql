-- revisioner.stangda_ar: every revision this build adds concerns a closed year (up to sista_stangda_ar) and a value
-- that changed, and one within revision_tolerans changed by at most that share of a published value other than 0.
-- The rows that break the rule; none = passed.
select r.mart, r.nyckel, r.kolumn, r.gammalt, r.nytt
from marts.revisioner r
join register.bygge b on r.korning = b.run_id
cross join register.installningar s
where r.ar > s.sista_stangda_ar
   or r.gammalt is not distinct from r.nytt
   or (not r.over_tolerans and (r.andring is null or abs(r.andring) > s.revision_tolerans + 1e-12))
