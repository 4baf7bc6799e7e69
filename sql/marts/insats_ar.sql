-- marts.insats_ar: every insats-year from the source its förbund-year takes (staging.kallval), so plan against
-- utfall per insats is one query.
--   From Uppföljning Finsam (kalla uppfoljning): every insats as registered, individinriktad and
--   strukturövergripande, with its attributes, participants (Totalt, else Kvinnor + Män), the budgeted number, and
--   budget and utfall in kr. Strukturövergripande participants are counted here and never as deltagare of the
--   förbund (marts.deltagare_ar).
--   From registrations or reports (kalla sus, aggregat): the insats rows of marts.deltagare_ar (insatser in SUS are
--   individinriktade); kön, plan and money are not known per insats there (NULL).
--   andel_av_plan            deltagare / budgeterat_antal
--   utfall_andel_av_budget   utfall_kr / budget_kr
-- A ratio with a missing or zero denominator is NULL.
create or replace table marts.insats_ar as
with uppfoljning as (
    select u.forbund, u.insats, u.ar, u.inriktning, u.preciserad_inriktning, u.malgrupp, u.esf, u.uppfoljningsmetod,
           u.totalt as deltagare, u.kvinnor, u.man, u.budgeterat_antal, u.budget_kr, u.utfall_kr,
           'uppfoljning' as kalla
    from staging.uppfoljning_rader u
    join staging.kallval k on k.forbund = u.forbund and k.ar = u.ar and k.kalla = 'uppfoljning'
),
registrerat as (
    select d.forbund, d.insats, d.ar, 'individinriktad' as inriktning, d.deltagare, d.kalla
    from marts.deltagare_ar d
    where d.insats <> '*' and d.insats not like 'typ:%' and d.kalla in ('sus', 'aggregat')
),
rader as (
    select * from uppfoljning
    union all by name
    select * from registrerat
)
select forbund, insats, ar::integer as ar, inriktning, preciserad_inriktning, malgrupp, esf, uppfoljningsmetod,
       deltagare::bigint as deltagare, kvinnor::bigint as kvinnor, man::bigint as man,
       budgeterat_antal::bigint as budgeterat_antal, budget_kr::double as budget_kr, utfall_kr::double as utfall_kr,
       (deltagare / nullif(budgeterat_antal, 0))::double as andel_av_plan,
       (utfall_kr / nullif(budget_kr, 0))::double as utfall_andel_av_budget,
       kalla
from rader
order by forbund, ar, insats;
