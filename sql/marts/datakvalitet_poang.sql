-- marts.datakvalitet_poang: a data-quality score per förbund and year, on the full förbund x year grid.
--   poang      100 minus, for every rule (regel) of marts.datakvalitet that fired for the förbund-year, the rule's
--              vikt (config/datakvalitet_vikter.csv; '*' = every rule not listed, 5 without the file) times its
--              number of findings; never below 0
--   fel        findings with allvarlighet fel: rejected files, each counted once however many problems it lists
--   varningar  findings with allvarlighet varning, one per row of marts.datakvalitet
--   underlag   what the score rests on: regel×number of findings (−points), largest deduction first
-- Only fel and varning count; info findings are for the record. A finding counts for the förbund and year it
-- names; one without a förbund (a rejected file, riket missing) counts for every förbund, one without a year for
-- every year: nobody can tell whose data a rejected file held, so every förbund-year may lack it.
create or replace table marts.datakvalitet_poang as
with grid as (
    select f.kod as forbund, y.ar from register.forbund f cross join register.ar y
),
per_regel as (
    select g.forbund, g.ar, d.regel, d.allvarlighet,
           case when d.allvarlighet = 'fel' then count(distinct coalesce(d.fil, '')) else count(*) end as antal
    from grid g
    join marts.datakvalitet d
      on (d.forbund is null or d.forbund = g.forbund) and (d.ar is null or d.ar = g.ar)
    where d.allvarlighet in ('fel', 'varning')
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
