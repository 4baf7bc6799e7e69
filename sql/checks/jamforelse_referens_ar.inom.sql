-- jamforelse_referens_ar.inom: samlad between the smallest and largest förbund value of its nivå (a pooled ratio of
-- sums with positive denominators is a weighted mean of the förbund's ratios; 1e-9 relative for rounding),
-- p25 <= median <= p75, and forbund_antal >= 1 and the number of förbund with a value. The rows that break it.
with varden as (
    unpivot (select forbund, ar, try_cast(columns(* exclude (forbund, ar)) as double) from marts.jamforelse_ar)
        on columns(* exclude (forbund, ar)) into name matt value varde
),
nivaer as (
    select 'lan' as niva, f.region as kod, v.* from varden v join register.forbund f on f.kod = v.forbund
    union all
    select 'riket', 'riket', v.* from varden v
),
spann as (
    select niva, kod, ar, matt, min(varde) as lagst, max(varde) as hogst, count(*) as antal from nivaer group by all
)
select r.niva, r.kod, r.ar, r.matt, r.samlad, s.lagst, s.hogst
from marts.jamforelse_referens_ar r
left join spann s on s.niva = r.niva and s.kod = r.kod and s.ar = r.ar and s.matt = r.matt
where s.antal is null or r.forbund_antal <> s.antal or r.forbund_antal < 1
   or r.samlad < s.lagst - 1e-9 * greatest(1, abs(s.lagst)) or r.samlad > s.hogst + 1e-9 * greatest(1, abs(s.hogst))
   or r.p25 > r.median + 1e-12 or r.median > r.p75 + 1e-12
