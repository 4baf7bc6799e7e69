-- staging.fynd_budget: findings on budgets, prognoses and delår (rows of marts.datakvalitet).
--   prognos_over_budget   a cost kategori's prognosis for the year exceeds its budget by more than budget_varning
--                         (installningar.yaml, 0.1) of the budget: the prognosis of the year's latest delår
--                         (delar_ar.prognos_helar: the förbund's own, else linear), else the förbund's prognosis
--                         (budget_utfall_ar.prognos); varde = (prognos − budget) ÷ budget (varning)
--   okand_budgetinsats    a budget line names an insats that neither config/insatser.csv nor Uppföljning Finsam
--                         knows for the förbund: its budget counts in the förbund's kategori, the insats row has no
--                         utfall (varning)
create or replace table staging.fynd_budget as
with senaste_delar as (
    select forbund, ar, kategori, arg_max(prognos_helar, period_till) as prognos,
           arg_max(prognos_kalla, period_till) as kalla, max(period_till) as period_till
    from marts.delar_ar
    group by all
),
prognoser as (
    select b.forbund, b.ar, b.kategori, b.budget, coalesce(d.prognos, b.prognos) as prognos,
           case when d.prognos is not null then d.kalla else 'forbund' end as kalla, d.period_till
    from marts.budget_utfall_ar b
    left join senaste_delar d using (forbund, ar, kategori)
    where b.insats = '*' and b.kategori in ('individinriktade_insatser', 'strukturovergripande_insatser', 'administration')
),
over_budget(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde) as (
    select 'prognos_over_budget', 'varning',
           printf('the prognosis for %s (%s kr, %s) is %.1f %% above its budget (%s kr)', p.kategori,
                  format('{:t }', round(p.prognos)::bigint),
                  case when p.kalla = 'linjar' then printf('linear from the delår up to %s', p.period_till)
                       else 'the förbund''s own' end,
                  (p.prognos - p.budget) / p.budget * 100, format('{:t }', round(p.budget)::bigint)),
           p.forbund, p.ar, p.kategori, printf('%.0f', p.prognos),
           printf('at most %.0f (budget + %g %%)', p.budget * (1 + i.budget_varning), i.budget_varning * 100),
           (p.prognos - p.budget) / p.budget
    from prognoser p
    cross join register.installningar i
    where p.budget > 0 and p.prognos > p.budget * (1 + i.budget_varning) + 0.005
),
kanda as (
    select forbund, insats_nyckel from register.insatser
    union
    select forbund, insats_nyckel from staging.uppfoljning_rader
),
okand(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'okand_budgetinsats', 'varning',
           printf('the budget line ''%s'' names insats ''%s'', which neither config/insatser.csv nor Uppföljning '
                  || 'Finsam knows for this förbund: it counts in the kategori, and the insats has no utfall',
                  b.post, b.insats),
           b.forbund, b.ar, 'Insats', b.insats, 'an insats of the förbund in config/insatser.csv or Uppföljning Finsam',
           null, b.fil, b.rad
    from staging.budget_rader b
    where b.insats is not null
      and not exists (select 1 from kanda k where k.forbund = b.forbund and k.insats_nyckel = b.insats_nyckel)
)
select regel, allvarlighet, beskrivning, 'budget' as kalla, forbund, ar::integer as ar, null::varchar as insats,
       null::varchar as fil, null::bigint as rad, kolumn, hittat, forvantat, varde::double as varde
from over_budget
union all by name
select regel, allvarlighet, beskrivning, 'budget' as kalla, forbund, ar::integer as ar, hittat as insats,
       fil, rad::bigint as rad, kolumn, hittat, forvantat, varde::double as varde
from okand;
