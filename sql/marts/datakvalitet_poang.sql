-- marts.datakvalitet_poang: a data-quality score per förbund and year, on the full förbund x year grid, and a row
-- for "okand" (okänd förbund) where a rejected file named no förbund.
--   poang      100 minus, for every rule (regel) of marts.datakvalitet that fired for the förbund-year, the rule's
--              vikt (config/datakvalitet_vikter.csv; '*' = every rule not listed, 5 without the file) times its
--              number of findings; never below 0
--   fel        findings with allvarlighet fel: rejected files, each counted once however many problems it lists
--   varningar  findings with allvarlighet varning, one per row of marts.datakvalitet
--   underlag   what the score rests on: regel×number of findings (−points), largest deduction first
-- Only fel and varning count; info findings are for the record. A finding counts for the förbund and year it
-- names; a warning without a förbund (riket missing) counts for every förbund, one without a year for every year.
-- A rejected file that names no förbund (fel, forbund NULL: junk, or a file unreadable before its förbund column)
-- is scored once, under forbund 'okand' in the year it names, else the build's current year (the last year of the
-- grid up to it): nobody can tell whose data it held, and counting it against every förbund-year made one junk
-- file lower every score.
create or replace table marts.datakvalitet_poang as
with fynd as (
    select d.*, d.forbund is null and d.allvarlighet = 'fel' as okand
    from marts.datakvalitet d
    where d.allvarlighet in ('fel', 'varning')
),
innevarande as (
    select coalesce(max(y.ar) filter (where y.ar <= i.sista_stangda_ar + 1), min(y.ar)) as ar
    from register.ar y, register.installningar i
    group by all
),
grid as (
    select f.kod as forbund, y.ar from register.forbund f cross join register.ar y
    union all
    select distinct 'okand', coalesce(d.ar, (select ar from innevarande)) from fynd d where d.okand
),
per_regel as (
    select g.forbund, g.ar, d.regel, d.allvarlighet,
           case when d.allvarlighet = 'fel' then count(distinct coalesce(d.fil, '')) else count(*) end as antal
    from grid g
    join fynd d
      on case when d.okand then g.forbund = 'okand' and g.ar = coalesce(d.ar, (select ar from innevarande))
              else (d.forbund is null or d.forbund = g.forbund) and (d.ar is null or d.ar = g.ar)
                   and g.forbund <> 'okand' end
    group by g.forbund, g.ar, d.regel, d.allvarlighet
),
avdrag as (
    select p.*, p.antal * coalesce(v.vikt, (select vikt from register.datakvalitet_vikter where regel = '*'))
               as poang
    from per_regel p
    left join register.datakvalitet_vikter v on v.regel = p.regel
)
select g.forbund, g.ar::integer as ar,
       greatest(0, 100 - coalesce(sum(a.poang), 0))::bigint as poang,
       coalesce(sum(a.antal) filter (where a.allvarlighet = 'fel'), 0)::bigint as fel,
       coalesce(sum(a.antal) filter (where a.allvarlighet = 'varning'), 0)::bigint as varningar,
       coalesce(string_agg(format('{}×{} (−{})', a.regel, a.antal, a.poang), ', ' order by a.poang desc, a.regel),
                'inga fel eller varningar') as underlag
from grid g
left join avdrag a using (forbund, ar)
group by all
order by forbund, ar;
