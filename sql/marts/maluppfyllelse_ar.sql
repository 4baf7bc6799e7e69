-- marts.maluppfyllelse_ar: every goal of config/mal.csv (register.mal, validated by finsam.config.mal) against its
-- outcome: the value in the goal's year of the mart column its measure is bound to (finsam.config.mal.MATT, the one
-- table binding the vocabulary to the marts), for the förbund (insats '*') or the insats, and the count of persons
-- it rests on (n: a share's denominator; NULL for money).
--   utfall_lag, utfall_hog  for a share of n persons, its Wilson 95 % interval, wilson() in sql/makron.sql (the one
--                           definition), of utfall × n of n; NULL for other measures and where n is missing
--   status                  uppnatt (minst: utfall >= malvarde; hogst: utfall <= malvarde), ej_uppnatt, or
--                           saknar_utfall when there is no outcome (no data that year, a denominator of 0)
--   saker                   for a share: the whole interval lies on the status' side of the goal (inclusive:
--                           uppnatt minst lag >= malvarde, uppnatt hogst hog <= malvarde, ej_uppnatt minst hog <=
--                           malvarde, ej_uppnatt hogst lag >= malvarde); false for a share without an interval;
--                           true for other measures with an outcome; NULL without one
-- An insats is found in a mart by the key config.norm_name gave its name at ingest (staging.sus_insatsnamn,
-- staging.uppfoljning_rader, staging.uppfoljning_efter_avslut_rader, staging.indikator_rader), which the goal's
-- register spelling has too (register.mal.insats_nyckel), else by that spelling itself; an insats under two
-- spellings takes the first, as kostnad_insats_ar does. Outcomes are outcomes: nothing here says the förbund caused
-- them. marts.maluppfyllelse_forbund_ar counts the goals met, a group once.
create or replace table marts.maluppfyllelse_ar as
with varden as (
    -- every number of every mart the vocabulary binds, long: one row per mart row and numeric column; insats '*' =
    -- the förbund as a whole; nyckel picks the row of a family measure (indikator:<kod>); intervall, where a mart
    -- says so per row, whether the value is a share (NULL = as the vocabulary says). Each bound mart is one select
    -- here, and naming it here is what makes this step depend on it.
    unpivot (
        select 'jamforelse_ar' as mart, forbund, '*' as insats, ar, null::varchar as nyckel,
               null::boolean as intervall, try_cast(columns(* exclude (forbund, ar)) as double)
        from marts.jamforelse_ar
        union all by name
        select 'ekonomi_ar' as mart, forbund, '*' as insats, ar, try_cast(columns(* exclude (forbund, ar)) as double)
        from marts.ekonomi_ar
        union all by name
        select 'deltagare_ar' as mart, forbund, insats, ar,
               try_cast(columns(* exclude (forbund, insats, ar)) as double)
        from marts.deltagare_ar
        union all by name
        select 'insats_ar' as mart, forbund, insats, ar, try_cast(columns(* exclude (forbund, insats, ar)) as double)
        from marts.insats_ar
        union all by name
        -- a follow-up is per avslutsår and months after avslut: a goal takes the longest follow-up of its year
        select 'uppfoljning_efter_avslut_ar' as mart, forbund, insats, avslutsar as ar,
               try_cast(columns(* exclude (forbund, insats, avslutsar)) as double)
        from marts.uppfoljning_efter_avslut_ar
        qualify row_number() over (partition by forbund, insats, avslutsar order by manader desc) = 1
        union all by name
        -- an indicator (its code as the file writes it) in two surveys: the one with the most answers; its value is a
        -- share with an interval on the scale andel only
        select 'indikatorer_ar' as mart, forbund, insats, ar, indikator as nyckel, skala = 'andel' as intervall, varde,
               antal_svar::double as antal_svar
        from marts.indikatorer_ar
        qualify row_number() over (partition by forbund, insats, ar, indikator
                                   order by antal_svar desc nulls last, enkat) = 1
    ) on columns(* exclude (mart, forbund, insats, ar, nyckel, intervall)) into name kolumn value varde
),
namn as (
    select insats, insats_nyckel from staging.sus_insatsnamn
    union
    select insats, insats_nyckel from staging.uppfoljning_rader
    union
    select insats, insats_nyckel from staging.uppfoljning_efter_avslut_rader
    union
    select insats, insats_nyckel from staging.indikator_rader
),
utfall as (
    select g.rad, max(v.varde) filter (where v.kolumn = g.kolumn) as utfall,
           max(v.varde) filter (where v.kolumn = g.n_kolumn) as n, bool_or(v.intervall) as intervall
    from register.mal g
    join varden v on v.mart = g.mart and v.forbund = g.forbund and v.ar = g.ar
         and v.nyckel is not distinct from g.nyckel and v.kolumn in (g.kolumn, g.n_kolumn)
    left join namn k on k.insats = v.insats
    where coalesce(k.insats_nyckel, v.insats) = g.insats_nyckel or v.insats = g.insats
    group by g.rad, v.insats
    qualify row_number() over (partition by g.rad order by v.insats) = 1
),
bedomt as (
    select g.*, u.utfall, u.n,
           coalesce(u.intervall, g.andel) as ar_andel,
           case when coalesce(u.intervall, g.andel) then wilson(u.utfall * u.n, u.n, -1) end as lag,
           case when coalesce(u.intervall, g.andel) then wilson(u.utfall * u.n, u.n, 1) end as hog,
           case when u.utfall is null then 'saknar_utfall'
                when (g.riktning = 'minst' and u.utfall >= g.malvarde)
                  or (g.riktning = 'hogst' and u.utfall <= g.malvarde) then 'uppnatt'
                else 'ej_uppnatt' end as status
    from register.mal g
    left join utfall u using (rad)
)
select forbund, insats, ar::integer as ar, matt, malvarde::double as malvarde, riktning, grupp,
       utfall::double as utfall, n::bigint as n, lag::double as utfall_lag, hog::double as utfall_hog, status,
       case when status = 'saknar_utfall' then null
            when not ar_andel then true
            when lag is null then false
            when (status = 'uppnatt') = (riktning = 'minst') then lag >= malvarde
            else hog <= malvarde end as saker,
       kalla
from bedomt
order by forbund, ar, insats <> '*', insats, matt, riktning;
