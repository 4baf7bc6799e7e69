-- marts.helarsekvivalenter_kommun: helårsekvivalenter (people 20-64 fully supported for a year by sjukpenning,
-- sjuk- och aktivitetsersättning, arbetslöshetsersättning, ekonomiskt bistånd or etableringsersättning) per
-- member kommun, year, kön (kvinna, man, totalt) and ersättning (the five, and totalt).
--   helarsekvivalenter  the count as given; when a file gives only the share: andel x befolkning_20_64 of the
--                       kommun and kön (rekonstruerad = true, an info finding in scb_kontroller)
--   kön totalt          as given; else kvinna + man (both needed)
--   befolkning_20_64    population 20-64 on 31 December ar of the kommun and kön (raw/scb/folkmangd/)
--   over_befolkning     the count exceeds befolkning_20_64 (or, for kön totalt built as kvinna + man, one of the
--                       two does): the inputs contradict each other, so andel is NULL (a
--                       helarsekvivalenter_over_befolkning finding in scb_kontroller) and the förbund's sum too
--   andel               helarsekvivalenter / befolkning_20_64, NULL when over_befolkning; andel_angiven is the
--                       share as printed in the file
-- These are the terms marts.helarsekvivalenter_ar adds up. Missing data stay NULL, never 0.
create or replace table marts.helarsekvivalenter_kommun as
with kon as (
    select unnest(['kvinna', 'man', 'totalt']) as kon
),
ersattning as (
    select unnest(['sjukpenning', 'sjuk_aktivitetsersattning', 'arbetsloshetsersattning', 'ekonomiskt_bistand',
                   'etableringsersattning', 'totalt']) as ersattning
),
pop as (
    select kommun, ar, kon, befolkning_20_64 from staging.folkmangd_rader
),
given as (
    select h.kommun, h.ar, h.kon, h.ersattning, h.andel as andel_angiven,
           coalesce(h.helarsekvivalenter, h.andel * p.befolkning_20_64) as helarsekvivalenter,
           h.helarsekvivalenter is null and h.andel is not null and p.befolkning_20_64 is not null as rekonstruerad,
           coalesce(coalesce(h.helarsekvivalenter, h.andel * p.befolkning_20_64) > p.befolkning_20_64, false)
               as over_befolkning
    from staging.helarsekvivalenter_rader h
    left join pop p using (kommun, ar, kon)
),
both_kon as (
    select kommun, ar, 'totalt' as kon, ersattning,
           case when count(helarsekvivalenter) = 2 then sum(helarsekvivalenter) end as helarsekvivalenter,
           bool_or(rekonstruerad) as rekonstruerad,
           bool_or(over_befolkning) as over_befolkning
    from given
    where kon in ('kvinna', 'man')
    group by all
),
kommun_values as (
    select * from given
    union all by name
    select b.* from both_kon b
    anti join given g on g.kommun = b.kommun and g.ar = b.ar and g.ersattning = b.ersattning and g.kon = 'totalt'
),
joined as (
    select m.forbund, m.kommun, m.kommun_namn, m.ar, k.kon, e.ersattning, v.helarsekvivalenter,
           p.befolkning_20_64, v.andel_angiven, v.rekonstruerad,
           coalesce(v.over_befolkning, false) or coalesce(v.helarsekvivalenter > p.befolkning_20_64, false)
               as over_befolkning
    from register.forbund_kommun_ar m
    cross join kon k
    cross join ersattning e
    left join kommun_values v
           on v.kommun = m.kommun and v.ar = m.ar and v.kon = k.kon and v.ersattning = e.ersattning
    left join pop p on p.kommun = m.kommun and p.ar = m.ar and p.kon = k.kon
)
select forbund, kommun, kommun_namn, ar::integer as ar, kon, ersattning,
       helarsekvivalenter::double as helarsekvivalenter,
       befolkning_20_64::bigint as befolkning_20_64,
       (case when not over_befolkning then helarsekvivalenter / nullif(befolkning_20_64, 0) end)::double as andel,
       andel_angiven::double as andel_angiven,
       case when helarsekvivalenter is not null then rekonstruerad end as rekonstruerad,
       over_befolkning
from joined
order by forbund, kommun, ar, kon, ersattning;
