-- marts.deltagare_grupp_ar: the förbund's participants per year by kön and by age group, counted with the rules
-- of deltagare_ar, defined once in sql/staging/deltagare_raknat.sql (levels kon and alder split the förbund's unique
-- individuals): deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo.
--   dimension 'kon':   grupp kvinna, man, okant (kön Annat or blank: too few to show on their own)
--   dimension 'alder': grupp 16-19, 20-24, 25-29, 30-39, 40-49, 50-64, 65+, okand (age in the year = ar - födelseår;
--                      okand = no födelseår, or an age below 16)
-- Each person is in one group per year, with the kön and födelseår of their latest spell in the förbund that gives
-- one (an anonymous spell counts where its own fields allow), so the groups of a dimension add up to the förbund's
-- row in deltagare_ar (a blocking check). nyinskrivna means new to the förbund, not to the age group.
-- Every förbund, year and group has a row; the counts are NULL (never 0) when the förbund-year has no
-- registrations: reported counts (kalla = 'aggregat') are not split by kön or age.
create or replace table marts.deltagare_grupp_ar as
with grupper as (
    select * from (values
        ('kon', 'kvinna', 1), ('kon', 'man', 2), ('kon', 'okant', 3),
        ('alder', '16-19', 1), ('alder', '20-24', 2), ('alder', '25-29', 3), ('alder', '30-39', 4),
        ('alder', '40-49', 5), ('alder', '50-64', 6), ('alder', '65+', 7), ('alder', 'okand', 8)
    ) g(dimension, grupp, ordning)
),
sus as (
    select forbund, ar from marts.deltagare_ar where insats = '*' and kalla = 'sus'
),
raknat as (
    select forbund, ar, niva as dimension, nyckel as grupp, * exclude (forbund, ar, niva, nyckel)
    from staging.deltagare_raknat where niva in ('kon', 'alder')
)
select d.forbund, d.ar::integer as ar, g.dimension, g.grupp,
       case when s.forbund is not null then coalesce(c.deltagare, 0) end::bigint as deltagare,
       case when s.forbund is not null then coalesce(c.nyinskrivna, 0) end::bigint as nyinskrivna,
       case when s.forbund is not null then coalesce(c.avslutade, 0) end::bigint as avslutade,
       case when s.forbund is not null then coalesce(c.avslut_arbete_studier, 0) end::bigint as avslut_arbete_studier,
       case when s.forbund is not null then coalesce(c.avslut_jobb_studieredo, 0) end::bigint
           as avslut_jobb_studieredo
from (select f.kod as forbund, y.ar from register.forbund f cross join register.ar y) d
cross join grupper g
left join sus s using (forbund, ar)
left join raknat c on c.forbund = d.forbund and c.ar = d.ar and c.dimension = g.dimension and c.grupp = g.grupp
order by d.forbund, d.ar, g.dimension desc, g.ordning;
