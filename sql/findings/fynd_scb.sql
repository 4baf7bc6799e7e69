-- staging.fynd_scb: findings on population and helårsekvivalenter (rows of marts.datakvalitet).
--   saknar_befolkning          a member kommun's population 16-64 on 31 December is missing: the förbund's
--                              malgrupp (and so tackningsgrad) is NULL, not a partial sum
--   saknar_helarsekvivalenter  a member kommun's helårsekvivalenter (totalt) or population 20-64 is missing:
--                              the förbund's helarsekvivalenter_andel is NULL
--   rekonstruerad_fran_andel   (info) only shares were given for some kommuner: counts = andel x population 20-64
--   saknar_riket               no figure for region 00 Riket (totalt): andel_riket is NULL for the year
--   helarsekvivalenter_over_befolkning  a count exceeds the population 20-64 of its region, year and kön (one
--                              finding per region, year, kön and ersättning; a member kommun's andel and its
--                              förbund's sum are NULL, riket falls back to the share printed in the file)
create or replace table staging.fynd_scb as
with missing_population as (
    select forbund, ar, string_agg(kommun || ' ' || kommun_namn, ', ' order by kommun) as kommuner,
           count(*) as n
    from marts.malgrupp_kommun
    where befolkning_16_64 is null
    group by all
),
befolkning as (
    select 'saknar_befolkning' as regel, 'varning' as allvarlighet,
           case when a.kommuner = 0
                then 'no member kommun counts for this year (members on 31 December): malgrupp is NULL'
                else printf('population 16-64 on 31 December %d is missing for %s: malgrupp and tackningsgrad '
                            || 'are NULL, not a partial sum', a.ar, m.kommuner) end as beskrivning,
           'scb_folkmangd' as kalla, a.forbund, a.ar, 'befolkning_16_64' as kolumn,
           'the population of every member kommun (raw/scb/folkmangd/)' as forvantat, m.n::double as varde
    from marts.malgrupp_ar a
    left join missing_population m using (forbund, ar)
    where a.befolkning_16_64 is null
),
totals as (
    select * from marts.helarsekvivalenter_kommun where kon = 'totalt' and ersattning = 'totalt'
),
missing_support as (
    select forbund, ar,
           string_agg(kommun || ' ' || kommun_namn, ', ' order by kommun)
               filter (where helarsekvivalenter is null) as utan_helarsekvivalenter,
           string_agg(kommun || ' ' || kommun_namn, ', ' order by kommun)
               filter (where befolkning_20_64 is null) as utan_befolkning,
           string_agg(kommun || ' ' || kommun_namn, ', ' order by kommun)
               filter (where over_befolkning) as over_befolkning
    from totals
    group by all
),
helarsekvivalenter as (
    select 'saknar_helarsekvivalenter' as regel, 'varning' as allvarlighet,
           'helarsekvivalenter_andel is NULL: '
               || concat_ws('; ',
                    case when m.utan_helarsekvivalenter is not null
                         then 'no helårsekvivalenter for ' || m.utan_helarsekvivalenter end,
                    case when m.utan_befolkning is not null
                         then 'no population 20-64 on 31 December for ' || m.utan_befolkning end,
                    case when m.over_befolkning is not null
                         then 'helårsekvivalenter above the population 20-64 for ' || m.over_befolkning end,
                    case when m.forbund is null then 'no member kommun counts for this year' end)
               as beskrivning,
           'scb_helarsekvivalenter' as kalla, h.forbund, h.ar, 'helarsekvivalenter' as kolumn,
           'helårsekvivalenter and population 20-64 for every member kommun' as forvantat, null::double as varde
    from marts.helarsekvivalenter_ar h
    left join missing_support m using (forbund, ar)
    where h.kon = 'totalt' and h.ersattning = 'totalt' and h.andel is null
),
rekonstruerad as (
    select 'rekonstruerad_fran_andel' as regel, 'info' as allvarlighet,
           'only shares were given for '
               || string_agg(distinct kommun || ' ' || kommun_namn, ', ' order by kommun || ' ' || kommun_namn)
               || ': helårsekvivalenter = andel x population 20-64 of the kommun and kön' as beskrivning,
           'scb_helarsekvivalenter' as kalla, forbund, ar, 'helarsekvivalenter' as kolumn, null as forvantat,
           count(distinct kommun)::double as varde
    from marts.helarsekvivalenter_kommun
    where rekonstruerad
    group by forbund, ar
),
riket as (
    select distinct 'saknar_riket' as regel, 'varning' as allvarlighet,
           'no figure for 00 Riket (kön and ersättning totalt) this year: andel_riket is NULL' as beskrivning,
           'scb_helarsekvivalenter' as kalla, null as forbund, ar, 'andel_riket' as kolumn,
           'a row for region 00 Riket' as forvantat, null::double as varde
    from marts.helarsekvivalenter_ar
    where kon = 'totalt' and ersattning = 'totalt' and andel_riket is null
),
over_rows as (
    -- member kommuner as in the kommun mart (given or kvinna + man), and riket as given
    select k.forbund, k.kommun, k.kommun_namn, k.ar, k.kon, k.ersattning, k.helarsekvivalenter,
           k.befolkning_20_64, h.fil, h.rad, null::double as andel_angiven
    from marts.helarsekvivalenter_kommun k
    left join staging.helarsekvivalenter_rader h using (kommun, ar, kon, ersattning)
    where k.helarsekvivalenter > k.befolkning_20_64
    union all by name
    select null as forbund, h.kommun, 'Riket' as kommun_namn, h.ar, h.kon, h.ersattning, h.helarsekvivalenter,
           p.befolkning_20_64, h.fil, h.rad, h.andel as andel_angiven
    from staging.helarsekvivalenter_rader h
    join staging.folkmangd_rader p using (kommun, ar, kon)
    where h.kommun = '00' and h.helarsekvivalenter > p.befolkning_20_64
),
over_befolkning as (
    select 'helarsekvivalenter_over_befolkning' as regel, 'varning' as allvarlighet,
           printf('helårsekvivalenter of %s %s (%s, %s) in %d exceed its population 20-64 on 31 December: ',
                  kommun, kommun_namn, kon, ersattning, ar)
               || case when forbund is not null
                       then 'andel is NULL, and so is the förbund''s sum for this kön and ersättning'
                       when andel_angiven is not null
                       then 'andel_riket is the share printed in the file'
                       else 'andel_riket is NULL' end as beskrivning,
           'scb_helarsekvivalenter' as kalla, forbund, ar, fil, rad, 'helarsekvivalenter' as kolumn,
           case when helarsekvivalenter = round(helarsekvivalenter)
                then printf('%d', helarsekvivalenter::bigint) else helarsekvivalenter::varchar end as hittat,
           printf('at most the population 20-64 (%d)', befolkning_20_64) as forvantat,
           helarsekvivalenter::double as varde
    from over_rows
),
found as (
    select * from befolkning
    union all by name select * from helarsekvivalenter
    union all by name select * from rekonstruerad
    union all by name select * from riket
    union all by name select * from over_befolkning
)
select regel, allvarlighet, beskrivning, kalla, forbund, ar::integer as ar, null::varchar as insats,
       fil::varchar as fil, rad::bigint as rad, kolumn, hittat::varchar as hittat, forvantat, varde
from found
order by regel, forbund, ar, beskrivning;
