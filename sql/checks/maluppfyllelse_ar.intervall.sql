-- maluppfyllelse_ar.intervall: where the interval exists, 0 <= utfall_lag <= utfall <= utfall_hog <= 1 and n > 0;
-- utfall_lag and utfall_hog are both NULL or both not; saker of a share agrees with the interval.
-- The rows that break the rule; none = passed.
select forbund, insats, ar, matt, riktning, utfall, utfall_lag, utfall_hog
from marts.maluppfyllelse_ar
where (utfall_lag is null) <> (utfall_hog is null)
   or (utfall_lag is not null and not (0 <= utfall_lag and utfall_lag <= utfall and utfall <= utfall_hog
                                       and utfall_hog <= 1 and n > 0))
   or (utfall_lag is not null and saker is distinct from
       case when (status = 'uppnatt') = (riktning = 'minst') then utfall_lag >= malvarde
            else utfall_hog <= malvarde end)
