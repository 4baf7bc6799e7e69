-- marts.malgrupp_ar: the target group per förbund and year (what marts.jamforelse_ar calls malgrupp).
--   kommuner          member kommuner that count for the year (members on 31 December)
--   befolkning_16_64  sum over those kommuner of the population 16-64 on 31 December ar
--   malgrupp          malgrupp_andel x befolkning_16_64
-- NULL when any member kommun's population is missing, never a partial sum (saknar_befolkning names them).
-- tackningsgrad = deltagare / malgrupp is formed in jamforelse_ar.
create or replace table marts.malgrupp_ar as
with per_forbund as (
    select f.kod as forbund, y.ar,
           count(k.kommun) as kommuner,
           case when count(k.kommun) > 0 and count(k.befolkning_16_64) = count(k.kommun)
                then sum(k.befolkning_16_64) end as befolkning_16_64
    from register.forbund f
    cross join register.ar y
    left join marts.malgrupp_kommun k on k.forbund = f.kod and k.ar = y.ar
    group by all
)
select p.forbund, p.ar::integer as ar, p.kommuner::bigint as kommuner,
       p.befolkning_16_64::bigint as befolkning_16_64,
       (i.malgrupp_andel * p.befolkning_16_64)::double as malgrupp
from per_forbund p
cross join register.installningar i
order by p.forbund, p.ar;
