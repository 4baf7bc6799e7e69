-- marts.jamforelse_referens_ar: every förbund against its län and riket, per ratio of marts.jamforelse_ar (long: one
-- row per nivå, kod, år and mått). "Riket" is every förbund in the warehouse, not Sweden.
--   niva, kod       lan and the förbund's two-digit county code (register.forbund.region), or riket and 'riket'
--   matt            a ratio column of jamforelse_ar that declares its terms (taljare, namnare, faktor in
--                   sql/marts/jamforelse_ar.yaml, as register.kvoter): the ratio's own definition, written once
--   forbund_antal   the förbund of the nivå with a value of the ratio that year
--   samlad          faktor x Σ taljare ÷ Σ namnare over those förbund (the pooled value: a weighted mean of their
--                   values, so between their minimum and maximum when the denominators are positive)
--   median, p25, p75  quantile_cont (linear interpolation) over those förbund's values
--   minsta_antal    the smallest count of individuals above 0 among those förbund's terms (NULL when the ratio has
--                   none): the reference is hidden wherever it is suppressed, since a pooled value and the förbund
--                   values shown beside it would give a small count away
-- A term is read from the mart that has it: jamforelse_ar (counts, malgrupp), ekonomi_ar (money) or
-- helarsekvivalenter_ar (kön and ersättning totalt: helarsekvivalenter, befolkning_20_64). The sums are taken as
-- DECIMAL(38, 9): a sum of doubles depends on an order DuckDB does not fix, and samlad differed in its last digit
-- in 1 of 11 builds of the same sample (helårsekvivalenter are fractions).
create or replace table marts.jamforelse_referens_ar as
with kvoter as (
    select kolumn as matt, taljare, namnare, faktor, personer from register.kvoter where mart = 'jamforelse_ar'
),
termer as (
    unpivot (select forbund, ar, try_cast(columns(* exclude (forbund, ar)) as double) from marts.jamforelse_ar)
        on columns(* exclude (forbund, ar)) into name term value varde
    union all by name
    unpivot (select forbund, ar, try_cast(columns(* exclude (forbund, ar)) as double) from marts.ekonomi_ar)
        on columns(* exclude (forbund, ar)) into name term value varde
    union all by name
    unpivot (select forbund, ar, helarsekvivalenter::double as helarsekvivalenter,
                    befolkning_20_64::double as befolkning_20_64
             from marts.helarsekvivalenter_ar where kon = 'totalt' and ersattning = 'totalt')
        on columns(* exclude (forbund, ar)) into name term value varde
),
varden as (
    -- each förbund's value: the jamforelse_ar column itself
    select t.forbund, t.ar, k.matt, t.varde from termer t join kvoter k on k.matt = t.term
),
forbund_varden as (
    select v.forbund, v.ar, v.matt, v.varde,
           sum(t.varde::decimal(38, 9)) filter (where list_contains(k.taljare, t.term)) as taljare,
           sum(t.varde::decimal(38, 9)) filter (where list_contains(k.namnare, t.term)) as namnare,
           min(t.varde) filter (where list_contains(k.personer, t.term) and t.varde >= 1) as minsta_antal
    from varden v
    join kvoter k using (matt)
    join termer t on t.forbund = v.forbund and t.ar = v.ar
         and (list_contains(k.taljare, t.term) or list_contains(k.namnare, t.term))
    group by all
),
nivaer as (
    select 'lan' as niva, f.region as kod, v.* from forbund_varden v join register.forbund f on f.kod = v.forbund
    union all
    select 'riket' as niva, 'riket' as kod, v.* from forbund_varden v
)
select n.niva, n.kod, n.ar::integer as ar, n.matt, count(*)::bigint as forbund_antal,
       (any_value(k.faktor) * sum(n.taljare) / nullif(sum(n.namnare), 0))::double as samlad,
       quantile_cont(n.varde, 0.5)::double as median,
       quantile_cont(n.varde, 0.25)::double as p25,
       quantile_cont(n.varde, 0.75)::double as p75,
       min(n.minsta_antal)::bigint as minsta_antal
from nivaer n
join kvoter k using (matt)
group by n.niva, n.kod, n.ar, n.matt
order by n.niva, n.kod, n.ar, n.matt;
