-- marts.finansiering_ar: who pays a förbund's intäkter, per förbund, year and finansiär.
--   finansiar  staten, region, kommun:<kod> (each member kommun), esf, tillvaxtverket, mucf, ovrig_extern, ovrigt
--   belopp     kr; andel = belopp / the year's Σ belopp of the förbund
--   kalla      arsredovisning or tilldelning: where the year's amounts come from (precedence below)
--   fordelning for a kommun: kommunrad (the årsredovisning line names the kommun), befolkning (the kommun money
--              split by population on 1 November the year before, staging.kommun_befolkningsandel), lika (split
--              equally: a member's population is missing); several joined by '+'; NULL for other finansiärer
-- Precedence: a förbund-year with income lines in its årsredovisning (staging.ekonomi_rader) takes them, so Σ belopp
-- is the year's actual intäkter (marts.ekonomi_ar.intakter_totalt: medlemsbidrag + externa_bidrag +
-- ovriga_intakter, each line's finansiär from config/kostnadsmappning.csv); a year without them takes the decided
-- medelstilldelning (raw/tilldelning: stat, region, kommuner). Financial posts are no intäkter here either.
-- Amounts are rounded to the öre after the kommun split, so Σ belopp can differ from intakter_totalt by an öre per
-- kommun. A year whose Σ belopp is 0 has no rows (nobody paid anything to share).
create or replace table marts.finansiering_ar as
with rader as (
    select forbund, ar, finansiar, kommun, belopp, 'arsredovisning' as kalla
    from staging.ekonomi_rader
    where finansiar is not null
),
beslut as (
    select t.forbund, t.ar, u.finansiar, null::varchar as kommun, u.belopp, 'tilldelning' as kalla
    from staging.tilldelning_rader t
    cross join lateral (values ('staten', t.stat), ('region', t.region), ('kommun', t.kommuner)) u(finansiar, belopp)
    where not exists (select 1 from rader r where r.forbund = t.forbund and r.ar = t.ar)
),
poster as (
    select p.* from (select * from rader union all select * from beslut) p
    join register.ar y on y.ar = p.ar
),
delas as (
    -- kommun money no line assigns to one kommun
    select forbund, ar, kalla, sum(belopp) as belopp from poster
    where finansiar = 'kommun' and kommun is null
    group by all
),
andelar as (
    select forbund, ar, kommun, andel, count(*) over (partition by forbund, ar) as medlemmar
    from staging.kommun_befolkningsandel
),
per_post as (
    select forbund, ar, finansiar, belopp, kalla, null as fordelning from poster where finansiar <> 'kommun'
    union all
    select forbund, ar, 'kommun:' || kommun, belopp, kalla, 'kommunrad' from poster
    where finansiar = 'kommun' and kommun is not null
    union all
    select d.forbund, d.ar, 'kommun:' || a.kommun, d.belopp * coalesce(a.andel, 1.0 / a.medlemmar), d.kalla,
           case when a.andel is null then 'lika' else 'befolkning' end
    from delas d
    join andelar a using (forbund, ar)
),
per_finansiar as (
    select forbund, ar, finansiar, round(sum(belopp), 2) as belopp, any_value(kalla) as kalla,
           string_agg(distinct fordelning, '+' order by fordelning) as fordelning
    from per_post
    group by forbund, ar, finansiar
)
-- the year's Σ in öre as DECIMAL: a sum of doubles depends on the order the rows are added in, and that order is not
-- fixed, so andel differed in its last digits from one run to the next
select forbund, ar::integer as ar, finansiar, belopp::double as belopp,
       (belopp / sum(belopp::decimal(18, 2)) over (partition by forbund, ar))::double as andel, kalla, fordelning
from per_finansiar
qualify sum(belopp::decimal(18, 2)) over (partition by forbund, ar) > 0
order by forbund, ar, finansiar;
