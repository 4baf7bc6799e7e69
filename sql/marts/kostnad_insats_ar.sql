-- marts.kostnad_insats_ar: what each insats cost per förbund and year, beside its participants (the review's
-- "Kostnad för respektive MT och CT 2019").
--   kostnad                 Σ belopp (kr) of the förbund-year's årsredovisning lines that config/kostnadsmappning.csv
--                           ties to the insats (column insats; staging.ekonomi_rader.insats). Lines without an
--                           insats count in ekonomi_ar's totals only, so the insatser need not add up to them.
--   typ, kommun             the insats in config/insatser.csv for the year: the row valid on 31 December, else the
--                           row valid latest in the year (kommun NULL = the whole förbund)
--   deltagare, avslutade    deltagare_ar's row of the insats in the source the förbund-year takes (staging.kallval):
--                           its SUS or Uppföljning Finsam name matches the register's ignoring case and whitespace
--                           (insats_nyckel; the first spelling when there are several); NULL when that source does
--                           not count it that year (a team not registered individually in SUS, a strukturövergripande
--                           insats, avslut not reported)
--   kalla                   deltagare_ar.kalla of that row (sus, uppfoljning, aggregat), NULL without one
--   kostnad_per_deltagare   kostnad / deltagare
--   kostnad_per_avslut      kostnad / avslutade
-- One row per förbund, insats and year with at least one tied line. A ratio with a missing or zero denominator is
-- NULL.
create or replace table marts.kostnad_insats_ar as
with rader as (
    select e.forbund, e.insats, e.ar, sum(e.belopp) as kostnad
    from staging.ekonomi_rader e
    join register.ar y on y.ar = e.ar
    where e.insats is not null
    group by all
),
register as (
    select r.forbund, r.insats, y.ar, arg_max(r.typ, r.giltig_fran) as typ, arg_max(r.kommun, r.giltig_fran) as kommun
    from register.insatser r
    join register.ar y on r.giltig_fran <= make_date(y.ar, 12, 31)
     and (r.giltig_till is null or r.giltig_till >= make_date(y.ar, 1, 1))
    group by all
),
sus_namn as (
    select forbund, register_insats as insats, min(insats) as sus_insats
    from staging.sus_insats
    where register_insats is not null
    group by all
),
uppfoljning_namn as (
    select u.forbund, u.ar, r.insats, min(u.insats) as uppfoljning_insats
    from staging.uppfoljning_rader u
    join register.insatser r on r.forbund = u.forbund and r.insats_nyckel = u.insats_nyckel
    group by all
)
select k.forbund, k.insats, coalesce(r.typ, 'okand') as typ, r.kommun, k.ar::integer as ar,
       k.kostnad::double as kostnad,
       d.deltagare::bigint as deltagare,
       (k.kostnad / nullif(d.deltagare, 0))::double as kostnad_per_deltagare,
       d.avslutade::bigint as avslutade,
       (k.kostnad / nullif(d.avslutade, 0))::double as kostnad_per_avslut,
       d.kalla
from rader k
left join register r using (forbund, insats, ar)
left join sus_namn n using (forbund, insats)
left join uppfoljning_namn u using (forbund, insats, ar)
left join staging.kallval v on v.forbund = k.forbund and v.ar = k.ar
left join marts.deltagare_ar d on d.forbund = k.forbund and d.ar = k.ar
     and d.insats = case when v.kalla = 'uppfoljning' then u.uppfoljning_insats else n.sus_insats end
order by forbund, ar, insats;
