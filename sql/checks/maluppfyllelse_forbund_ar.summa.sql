-- maluppfyllelse_forbund_ar.summa: one row per förbund and year with goals in maluppfyllelse_ar; mal is the number
-- of goals, a group counted once, uppnadda those met (a group when any of its goals is), andel_uppnadda = uppnadda /
-- mal.
-- The rows that break the rule; none = passed.
with enheter as (
    select forbund, ar, coalesce('grupp ' || grupp, 'mal ' || insats || ' ' || matt || ' ' || riktning) as enhet,
           bool_or(status = 'uppnatt') as uppnadd
    from marts.maluppfyllelse_ar
    group by all
),
summa as (
    select forbund, ar, count(*) as mal, count(*) filter (where uppnadd) as uppnadda
    from enheter
    group by all
)
select coalesce(s.forbund, f.forbund) as forbund, coalesce(s.ar, f.ar) as ar
from summa s
full join marts.maluppfyllelse_forbund_ar f on f.forbund = s.forbund and f.ar = s.ar
where f.mal is distinct from s.mal or f.uppnadda is distinct from s.uppnadda
   or f.andel_uppnadda is distinct from s.uppnadda / s.mal
