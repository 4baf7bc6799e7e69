-- marts.deltagare_grupp_ar: the förbund's participants per year by kön and by age group, counted with the rules
-- of deltagare_ar, defined once in sql/staging/deltagare_raknat.sql (levels kon and alder split the förbund's unique
-- individuals): deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo.
--   dimension 'kon':   grupp kvinna, man, okant (kön Annat or blank: too few to show on their own)
--   dimension 'alder': grupp 16-19, 20-24, 25-29, 30-39, 40-49, 50-64, 65+, okand (age in the year = ar - födelseår;
--                      okand = no födelseår, or an age below 16)
-- Each person is in one group per year, with the kön and födelseår of their latest spell in the förbund that gives
-- one (an anonymous spell counts where its own fields allow), so the groups of a dimension add up to the förbund's
-- row in deltagare_ar (a blocking check). nyinskrivna means new to the förbund, not to the age group; NULL in a
-- seam year of the registrations (staging.forsta_registreringsar), as in deltagare_ar.
-- From Uppföljning Finsam (kalla = 'uppfoljning': no persons, so no ages and no unique individuals), kön only, over
-- the förbund-year's individinriktade insatser (strukturövergripande ones have no deltagare):
--   deltagare     kvinna Σ Kvinnor, man Σ Män, okant Σ (total − Kvinnor − Män): the kön groups add up to
--                 deltagare_ar.registreringar (the sum over insatser), not to unique persons; NULL, every group,
--                 when an insats reported no total
--   avslutade, avslut_arbete_studier, avslut_jobb_studieredo   from raw/avslut_rapporterade by its Kön column
--                 (blank, Annat or no Kön column: okant), NULL where nothing was reported
--   nyinskrivna and every alder group   NULL
--   kalla         deltagare_ar.kalla of the förbund-year
-- Every förbund, year and group has a row; the counts are NULL (never 0) when the förbund-year has neither
-- registrations nor Uppföljning Finsam: reported counts (kalla = 'aggregat') are not split by kön or age.
create or replace table marts.deltagare_grupp_ar as
with grupper as (
    select * from (values
        ('kon', 'kvinna', 1), ('kon', 'man', 2), ('kon', 'okant', 3),
        ('alder', '16-19', 1), ('alder', '20-24', 2), ('alder', '25-29', 3), ('alder', '30-39', 4),
        ('alder', '40-49', 5), ('alder', '50-64', 6), ('alder', '65+', 7), ('alder', 'okand', 8)
    ) g(dimension, grupp, ordning)
),
kalla as (
    select forbund, ar, kalla from marts.deltagare_ar where insats = '*'
),
raknat as (
    select forbund, ar, niva as dimension, nyckel as grupp, * exclude (forbund, ar, niva, nyckel)
    from staging.deltagare_raknat where niva in ('kon', 'alder')
),
insatser as (
    select u.forbund, u.ar, u.totalt, u.kvinnor, u.man
    from staging.uppfoljning_rader u
    join kalla k on k.forbund = u.forbund and k.ar = u.ar and k.kalla = 'uppfoljning'
    where u.inriktning = 'individinriktad'
),
uppfoljning_kon as (
    select forbund, ar, g.grupp,
           case when count(*) = count(totalt)
                then case g.grupp when 'kvinna' then coalesce(sum(kvinnor), 0) when 'man' then coalesce(sum(man), 0)
                     else sum(totalt - coalesce(kvinnor, 0) - coalesce(man, 0)) end end as deltagare
    from insatser
    cross join (values ('kvinna'), ('man'), ('okant')) g(grupp)
    group by forbund, ar, g.grupp
),
rapporterade_avslut as (
    select a.forbund, a.ar, coalesce(a.kon, 'okant') as grupp, sum(a.antal) as avslutade,
           coalesce(sum(a.antal) filter (where arbete_studier(a.kategori)), 0) as avslut_arbete_studier,
           coalesce(sum(a.antal) filter (where jobb_studieredo(a.kategori)), 0)
               as avslut_jobb_studieredo
    from staging.avslut_rapporterade_rader a
    join kalla k on k.forbund = a.forbund and k.ar = a.ar and k.kalla = 'uppfoljning'
    group by all
),
uppfoljning as (
    select u.forbund, u.ar, 'kon' as dimension, u.grupp, u.deltagare, null::bigint as nyinskrivna,
           -- a förbund-year that reported avslut has a number in every kön group (0 where none)
           case when r.n > 0 then coalesce(a.avslutade, 0) end as avslutade,
           case when r.n > 0 then coalesce(a.avslut_arbete_studier, 0) end as avslut_arbete_studier,
           case when r.n > 0 then coalesce(a.avslut_jobb_studieredo, 0) end as avslut_jobb_studieredo
    from uppfoljning_kon u
    left join rapporterade_avslut a using (forbund, ar, grupp)
    left join (select forbund, ar, count(*) as n from rapporterade_avslut group by all) r using (forbund, ar)
),
counts as (
    select r.forbund, r.ar, r.dimension, r.grupp, r.deltagare, r.nyinskrivna, r.avslutade, r.avslut_arbete_studier,
           r.avslut_jobb_studieredo
    from raknat r
    join kalla k on k.forbund = r.forbund and k.ar = r.ar and k.kalla = 'sus'
    union all by name
    select * from uppfoljning
)
select d.forbund, d.ar::integer as ar, g.dimension, g.grupp,
       case when k.kalla = 'sus' then coalesce(c.deltagare, 0) else c.deltagare end::bigint as deltagare,
       case when k.kalla = 'sus' and f.forbund is null then coalesce(c.nyinskrivna, 0) else c.nyinskrivna end::bigint
           as nyinskrivna,
       case when k.kalla = 'sus' then coalesce(c.avslutade, 0) else c.avslutade end::bigint as avslutade,
       case when k.kalla = 'sus' then coalesce(c.avslut_arbete_studier, 0) else c.avslut_arbete_studier end::bigint
           as avslut_arbete_studier,
       case when k.kalla = 'sus' then coalesce(c.avslut_jobb_studieredo, 0) else c.avslut_jobb_studieredo end::bigint
           as avslut_jobb_studieredo,
       k.kalla
from (select f.kod as forbund, y.ar from register.forbund f cross join register.ar y) d
cross join grupper g
left join kalla k using (forbund, ar)
left join staging.forsta_registreringsar f using (forbund, ar)
left join counts c on c.forbund = d.forbund and c.ar = d.ar and c.dimension = g.dimension and c.grupp = g.grupp
order by d.forbund, d.ar, g.dimension desc, g.ordning;
