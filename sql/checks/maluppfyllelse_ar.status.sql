-- maluppfyllelse_ar.status: status follows from utfall, malvarde and riktning (uppnatt: minst utfall >= malvarde,
-- hogst utfall <= malvarde; saknar_utfall exactly when utfall is NULL); saker is NULL exactly when utfall is.
-- The rows that break the rule; none = passed.
select forbund, insats, ar, matt, riktning, status
from marts.maluppfyllelse_ar
where status is distinct from case when utfall is null then 'saknar_utfall'
                                   when riktning = 'minst' and utfall >= malvarde then 'uppnatt'
                                   when riktning = 'hogst' and utfall <= malvarde then 'uppnatt'
                                   else 'ej_uppnatt' end
   or (saker is null) <> (utfall is null)
