-- marts.maluppfyllelse_forbund_ar: per förbund and year with goals in config/mal.csv, how many goals it had and how
-- many it met (marts.maluppfyllelse_ar). A group (goals of the förbund and year sharing a grupp: Sydnärke's eget
-- kapital at most 7 % of intäkter or at most 300 000 kr) is one goal, met when any of its goals is; a goal without
-- an outcome (saknar_utfall) counts in mal, never in uppnadda.
--   andel_uppnadda  uppnadda / mal
create or replace table marts.maluppfyllelse_forbund_ar as
with enheter as (
    select forbund, ar, bool_or(status = 'uppnatt') as uppnadd
    from marts.maluppfyllelse_ar
    group by forbund, ar, grupp, case when grupp is null then insats end, case when grupp is null then matt end,
             case when grupp is null then riktning end
)
select forbund, ar::integer as ar, count(*)::bigint as mal, count(*) filter (where uppnadd)::bigint as uppnadda,
       (count(*) filter (where uppnadd) / count(*))::double as andel_uppnadda
from enheter
group by forbund, ar
order by forbund, ar;
