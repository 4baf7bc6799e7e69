-- staging.forsta_registreringsar: the förbund-years of the grid that are a seam in the registrations: the first
-- year a förbund's SUS data has any registration, or the first year after a year without any (a gap). Counts that
-- look back past 1 January cannot be made there: everyone open on 1 January looks new (nyinskrivna = deltagare),
-- nobody can have an earlier spell (aterkommande = 0), and every stay starts no earlier than the data does (time in
-- insats cut at the data's start). deltagare_raknat, tid_i_insats_ar, deltagare_kommun_ar and deltagare_grupp_ar
-- write those counts as NULL here, and fynd_sus reports each year as forsta_registreringsar (info).
-- The first year is the data's, not ar_fran's: a förbund whose registrations start before the first analysed year
-- (an export with spells from earlier years) has no seam in that year, since its spells open on 1 January are
-- known. A year "has registrations" when a spell overlaps it (an anonymous spell only its start year), as in
-- deltagare_raknat.
--   orsak   forsta (the data's first year) or efter_uppehall (the year before had no registrations)
create or replace table staging.forsta_registreringsar as
with spann as (
    -- the years each spell overlaps, as a range; few distinct ranges per förbund
    select distinct forbund, year(start) as fran,
           case when anonym then year(start)
                else least(year(coalesce(slut, date '9999-12-31')), (select ar_till from register.installningar))
           end as till
    from staging.sus_insats
),
ar_med as (
    select distinct forbund, unnest(range(fran, greatest(fran, till) + 1)) as ar from spann
)
select a.forbund, a.ar::integer as ar,
       case when a.ar = (select min(f.ar) from ar_med f where f.forbund = a.forbund) then 'forsta'
            else 'efter_uppehall' end as orsak
from ar_med a
where a.ar in (select ar from register.ar)
  and not exists (select 1 from ar_med p where p.forbund = a.forbund and p.ar = a.ar - 1)
order by a.forbund, a.ar;
