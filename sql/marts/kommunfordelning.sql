-- marts.kommunfordelning: the kommun quarter of a förbund's medelstilldelning split between its member kommuner
-- by population on 1 November of the year before (finansieringsmodellen), beside what each kommun paid as reported
-- by per-kommun medlemsbidrag lines in raw/ekonomi. One row per förbund, year and kommun, for the förbund-years
-- that report per-kommun lines.
--   forvantat  = round(kommunandel x befolkning_1_nov / befolkning_medlemmar), to the krona
--   kommunandel = Kommuner in raw/tilldelning (the decided quarter); without a decision, the sum of the kommun
--                 lines (kalla_kommunandel says which)
--   members are the kommuner that count for the förbund that year (members on 31 December)
-- ekonomi_kontroller reports |rapporterat - forvantat| > 1 kr as kommunfordelning, and a year it could not check
-- (population on 1 November y-1 missing) as kommunfordelning_ej_kontrollerad.
create or replace table marts.kommunfordelning as
with lines as (
    select forbund, ar, kommun, sum(belopp) as rapporterat, arg_min(fil, rad) as fil, min(rad) as rad
    from staging.ekonomi_rader
    where kategori = 'medlemsbidrag_kommun' and kommun is not null
    group by all
),
reported as (
    select distinct forbund, ar from lines
),
members as (
    -- the population split, made once for every förbund-year (staging.kommun_befolkningsandel)
    select a.* from staging.kommun_befolkningsandel a join reported using (forbund, ar)
),
quarter as (
    select r.forbund, r.ar, coalesce(t.kommuner, s.summa) as kommunandel,
           case when t.kommuner is null then 'summa_kommunrader' else 'tilldelning' end as kalla_kommunandel
    from reported r
    left join staging.tilldelning_rader t using (forbund, ar)
    left join (select forbund, ar, sum(rapporterat) as summa from lines group by all) s using (forbund, ar)
),
split as (
    select m.forbund, m.ar, m.kommun, m.kommun_namn, m.befolkning_1_nov, m.befolkning_medlemmar,
           q.kommunandel, q.kalla_kommunandel
    from members m
    join quarter q using (forbund, ar)
)
select coalesce(s.forbund, l.forbund) as forbund, coalesce(s.ar, l.ar)::integer as ar,
       coalesce(s.kommun, l.kommun) as kommun, s.kommun_namn,
       s.befolkning_1_nov::bigint as befolkning_1_nov, s.befolkning_medlemmar::bigint as befolkning_medlemmar,
       (s.befolkning_1_nov / s.befolkning_medlemmar)::double as andel,
       s.kommunandel::double as kommunandel, s.kalla_kommunandel,
       round(s.kommunandel * s.befolkning_1_nov / s.befolkning_medlemmar)::double as forvantat,
       l.rapporterat::double as rapporterat,
       (l.rapporterat - round(s.kommunandel * s.befolkning_1_nov / s.befolkning_medlemmar))::double as differens,
       s.forbund is not null as medlem, l.fil, l.rad
from split s
full join lines l on l.forbund = s.forbund and l.ar = s.ar and l.kommun = s.kommun
order by forbund, ar, kommun;
