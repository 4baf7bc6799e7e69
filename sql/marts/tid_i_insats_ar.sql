-- marts.tid_i_insats_ar: how long people stay, per förbund, insats and year (the review's "Vad är en rimlig tid?").
-- Units: per insats, its spells (a person who leaves and re-enters has two); for insats = '*', episodes: the
-- spells of one person in the förbund joined where they overlap or follow each other with no day between (the
-- next starts at most one day after the latest end so far), so moving from one insats straight into another is
-- one stay. Anonymous spells are left out (they are never closed).
--   avslutade          units that ended in the year (their end date lies in it); not deltagare_ar.avslutade,
--                      which counts persons with nothing open at the year's end
--   median_dagar, p25_dagar, p75_dagar   the median and quartiles (interpolated) of slut - start, in days, of
--                      those units; NULL when none ended
--   pagaende_over_365  units open at 31 December (no end, or an end after it) that started more than 365 days
--                      before it
-- One row per förbund, insats ('*' or a name as in SUS) and year with registrations of the insats.
-- In a seam year of the förbund's registrations (staging.forsta_registreringsar: its first year of registrations,
-- or the first after a year without any) median_dagar, p25_dagar, p75_dagar and pagaende_over_365 are NULL: the
-- stays known there all start in that year, so every duration is cut at the data's start.
create or replace table marts.tid_i_insats_ar as
with spells as (
    select forbund, insats, person, start, slut from staging.sus_insats where not anonym
),
ordered as (
    select *, max(coalesce(slut, date '9999-12-31')) over (
                  partition by forbund, person order by start, slut
                  rows between unbounded preceding and 1 preceding) as end_so_far
    from spells
),
numbered as (
    select *, sum(case when end_so_far is null or start > end_so_far + 1 then 1 else 0 end) over (
                  partition by forbund, person order by start, slut rows unbounded preceding) as episode
    from ordered
),
episodes as (
    select forbund, '*' as insats, person, min(start) as start,
           case when bool_or(slut is null) then null else max(slut) end as slut
    from numbered
    group by forbund, person, episode
),
units as (
    select * from spells
    union all by name
    select * from episodes
),
unit_year as (
    select u.*, y.ar, make_date(y.ar, 12, 31) as arets_slut
    from units u
    join register.ar y on u.start <= make_date(y.ar, 12, 31) and (u.slut is null or u.slut >= make_date(y.ar, 1, 1))
),
levels as (
    -- every insats-year with registrations (anonymous ones too), and its förbund-year
    select distinct forbund, unnest([insats, '*']) as insats, y.ar
    from staging.sus_insats s
    join register.ar y on s.start <= make_date(y.ar, 12, 31) and (s.slut is null or s.slut >= make_date(y.ar, 1, 1))
     and (not s.anonym or year(s.start) = y.ar)
),
ended as (
    -- each unit that ended in a year of the build, in that year; it overlaps its end year, as start <= slut
    select forbund, insats, year(slut) as ar, date_diff('day', start, slut) as dagar
    from units
    where slut is not null and year(slut) in (select ar from register.ar)
),
kvartiler as (
    -- one quantile state of the ended units only (a quantile holds every value in memory and cannot spill)
    select forbund, insats, ar, count(*) as avslutade, quantile_cont(dagar, [0.25, 0.5, 0.75]) as q
    from ended
    group by all
),
pagaende as (
    select forbund, insats, ar, count(*) as pagaende_over_365
    from unit_year
    where (slut is null or slut > arets_slut) and date_diff('day', start, arets_slut) > 365
    group by all
)
select l.forbund, l.insats, l.ar::integer as ar,
       coalesce(k.avslutade, 0)::bigint as avslutade,
       case when f.forbund is null then k.q[2] end::double as median_dagar,
       case when f.forbund is null then k.q[1] end::double as p25_dagar,
       case when f.forbund is null then k.q[3] end::double as p75_dagar,
       case when f.forbund is null then coalesce(p.pagaende_over_365, 0) end::bigint as pagaende_over_365
from levels l
left join kvartiler k using (forbund, insats, ar)
left join pagaende p using (forbund, insats, ar)
left join staging.forsta_registreringsar f using (forbund, ar)
order by forbund, insats = '*' desc, insats, ar;
