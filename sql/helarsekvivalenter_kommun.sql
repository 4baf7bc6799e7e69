-- marts.helarsekvivalenter_kommun: helårsekvivalenter (people 20-64 fully supported for a year by sjukpenning,
-- sjuk- och aktivitetsersättning, arbetslöshetsersättning, ekonomiskt bistånd or etableringsersättning) per
-- member kommun, year, kön (kvinna, man, totalt) and ersättning (the five, and totalt).
--   helarsekvivalenter  the count as given; when a file gives only the share: andel x befolkning_20_64 of the
--                       kommun and kön (rekonstruerad = true, an info finding in scb_kontroller)
--   kön totalt          as given; else kvinna + man (both needed)
--   befolkning_20_64    population 20-64 on 31 December ar of the kommun and kön (raw/scb/folkmangd/)
--   andel               helarsekvivalenter / befolkning_20_64; andel_angiven is the share as printed in the file
-- These are the terms marts.helarsekvivalenter_ar adds up. Missing data stay NULL, never 0.
create schema if not exists marts;
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
           h.helarsekvivalenter is null and h.andel is not null and p.befolkning_20_64 is not null as rekonstruerad
    from staging.helarsekvivalenter_rader h
    left join pop p using (kommun, ar, kon)
),
both_kon as (
    select kommun, ar, 'totalt' as kon, ersattning,
           case when count(helarsekvivalenter) = 2 then sum(helarsekvivalenter) end as helarsekvivalenter,
           bool_or(rekonstruerad) as rekonstruerad
    from given
    where kon in ('kvinna', 'man')
    group by all
),
kommun_values as (
    select * from given
    union all by name
    select b.* from both_kon b
    anti join given g on g.kommun = b.kommun and g.ar = b.ar and g.ersattning = b.ersattning and g.kon = 'totalt'
)
select m.forbund, m.kommun, m.kommun_namn, m.ar::integer as ar, k.kon, e.ersattning,
       v.helarsekvivalenter::double as helarsekvivalenter,
       p.befolkning_20_64::bigint as befolkning_20_64,
       (v.helarsekvivalenter / nullif(p.befolkning_20_64, 0))::double as andel,
       v.andel_angiven::double as andel_angiven,
       case when v.helarsekvivalenter is not null then v.rekonstruerad end as rekonstruerad
from register.forbund_kommun_ar m
cross join kon k
cross join ersattning e
left join kommun_values v on v.kommun = m.kommun and v.ar = m.ar and v.kon = k.kon and v.ersattning = e.ersattning
left join pop p on p.kommun = m.kommun and p.ar = m.ar and p.kon = k.kon
order by m.forbund, m.kommun, m.ar, k.kon, e.ersattning;
