-- staging.kallval: which source each förbund-year's participant counts take, one row per förbund and year of the
-- grid. The rule (sus_stangd in config/installningar.yaml, register.installningar; its year is the closure year):
--   1. a year before the closure year, or no closure: registrations (raw/sus/) when the förbund has any that
--      overlap the year;
--   2. otherwise Uppföljning Finsam counts (raw/uppfoljning/) when the förbund-year has any; else registrations
--      (a förbund may keep a SUS-shaped register of its own after the closure: finding efter_sus_stangd); else
--      reported counts (raw/sus_aggregat/);
--   3. otherwise none: the counts are NULL with finding saknar_sus.
-- Never a sum of two sources: where a second source knows the year, fynd_sus reconciles it.
--   kalla            sus, uppfoljning, aggregat, or NULL
--   har_sus, har_uppfoljning, har_aggregat   which sources know the förbund-year
--   efter_stangning  the year is the closure year or later
--   eget_register    the förbund has registrations that start after sus_stangd: a register of its own, not only
--                    the spells SUS still had open when it closed (whose end nobody recorded)
create or replace table staging.kallval as
with grid as (
    select f.kod as forbund, y.ar, (select year(sus_stangd) from register.installningar) as stangt_ar
    from register.forbund f cross join register.ar y
),
kanda as (
    select g.forbund, g.ar, g.stangt_ar is not null and g.ar >= g.stangt_ar as efter_stangning,
           exists (select 1 from staging.deltagare_raknat r
                   where r.forbund = g.forbund and r.ar = g.ar and r.niva = 'forbund') as har_sus,
           exists (select 1 from staging.uppfoljning_rader u
                   where u.forbund = g.forbund and u.ar = g.ar) as har_uppfoljning,
           exists (select 1 from staging.sus_aggregat_rader a
                   where a.forbund = g.forbund and a.ar = g.ar) as har_aggregat,
           exists (select 1 from staging.sus_registreringar s
                   where s.forbund = g.forbund
                     and s.start > (select sus_stangd from register.installningar)) as eget_register
    from grid g
)
select forbund, ar::integer as ar,
       case when not efter_stangning and har_sus then 'sus'
            when har_uppfoljning then 'uppfoljning'
            when har_sus then 'sus'
            when har_aggregat then 'aggregat' end as kalla,
       har_sus, har_uppfoljning, har_aggregat, efter_stangning, eget_register
from kanda
order by forbund, ar;
