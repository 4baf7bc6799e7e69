-- marts.helarsekvivalenter_ar: helårsekvivalenter per förbund, year, kön and ersättning beside riket
-- (ersättning = 'totalt', kön = 'totalt' is what marts.jamforelse_ar calls helarsekvivalenter_andel).
--   helarsekvivalenter  sum over the member kommuner (members on 31 December) of marts.helarsekvivalenter_kommun
--   befolkning_20_64    sum over the same kommuner of the population 20-64 on 31 December ar
--   andel               helarsekvivalenter / befolkning_20_64: kommun figures weighted by population, never an
--                       average of their percentages
--   andel_riket         the same for region 00 (Riket): its count / its population 20-64 when both are there and
--                       the count does not exceed the population, else its share as printed in the file
--   rekonstruerad       some kommun's count was rebuilt from its share x its population (see the kommun mart)
-- NULL when any member kommun lacks a count or a population, never a partial sum (saknar_helarsekvivalenter), and
-- when a member kommun's count exceeds its population 20-64 (over_befolkning: helarsekvivalenter_over_befolkning).
create or replace table marts.helarsekvivalenter_ar as
with per_forbund as (
    select forbund, ar, kon, ersattning,
           case when count(helarsekvivalenter) = count(*) and not bool_or(over_befolkning)
                then sum(helarsekvivalenter) end as helarsekvivalenter,
           case when count(befolkning_20_64) = count(*) then sum(befolkning_20_64) end as befolkning_20_64,
           bool_or(rekonstruerad) as rekonstruerad
    from marts.helarsekvivalenter_kommun
    group by all
),
riket as (
    select h.ar, h.kon, h.ersattning,
           case when h.helarsekvivalenter <= p.befolkning_20_64 and p.befolkning_20_64 > 0
                then h.helarsekvivalenter / p.befolkning_20_64
                else h.andel end as andel_riket
    from staging.helarsekvivalenter_rader h
    left join staging.folkmangd_rader p on p.kommun = h.kommun and p.ar = h.ar and p.kon = h.kon
    where h.kommun = '00'
),
grid as (
    select f.kod as forbund, y.ar, c.kon, c.ersattning
    from register.forbund f
    cross join register.ar y
    cross join (select distinct kon, ersattning from marts.helarsekvivalenter_kommun
                union select 'totalt', 'totalt') c
)
select g.forbund, g.ar::integer as ar, g.kon, g.ersattning,
       p.helarsekvivalenter::double as helarsekvivalenter,
       p.befolkning_20_64::bigint as befolkning_20_64,
       (p.helarsekvivalenter / nullif(p.befolkning_20_64, 0))::double as andel,
       r.andel_riket::double as andel_riket,
       case when p.helarsekvivalenter is not null then p.rekonstruerad end as rekonstruerad
from grid g
left join per_forbund p using (forbund, ar, kon, ersattning)
left join riket r using (ar, kon, ersattning)
order by g.forbund, g.ar, g.kon, g.ersattning;
