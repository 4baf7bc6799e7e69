-- staging.deltagare_raknat: participants counted from SUS registrations, one row per förbund, level (niva), key
-- (nyckel) and year. The counting is defined here once; marts.deltagare_ar (levels forbund, insats, typ),
-- marts.deltagare_kommun_ar (kommun) and marts.deltagare_grupp_ar (kon, alder) select their levels from it.
-- Levels, from the spells of staging.sus_insats (SUS spells with the insats register's typ and kommun):
--   forbund '*'          all the förbund's spells: its unique individuals
--   insats  <name>       the spells of one insats (the name as in SUS)
--   typ     'typ:<typ>'  the spells of every insats of one typ (typ:okand = not in config/insatser.csv)
--   kommun  <code>       the spells of the insatser serving one member kommun; whole-förbund insatser are in none
--   kon     kvinna, man, okant              the förbund's individuals by kön
--   alder   16-19, 20-24, 25-29, 30-39, 40-49, 50-64, 65+, okand   ... by age in the year (ar - födelseår)
-- Definitions (data-contract.md, "Counting"), per level and year y:
--   a spell overlaps y when start <= 31 Dec y and (slut is blank or slut >= 1 Jan y);
--   anonymous spells count only in their start year and are never avslutade or pågående.
--   registreringar          spells overlapping y
--   deltagare               unique non-anonymous persons overlapping y + anonymous spells starting in y
--   pagaende_vid_arets_slut unique non-anonymous persons with a spell open after 31 Dec y
--   nyinskrivna             non-anonymous deltagare not open after 31 Dec y-1 + anonymous spells starting in y
--   avslutade               non-anonymous deltagare not open after 31 Dec y
--   avslut_arbete_studier   avslutade whose last spell ended with kategori arbete or studier
--   avslut_jobb_studieredo  avslutade whose last spell ended with kategori arbetssokande or studieredo
--   anonyma                 anonymous spells starting in y
--   aterkommande            non-anonymous nyinskrivna with an earlier spell, in any insats, that ended more than 90
--                           days before their first spell of the level in y started. Across förbund when the person
--                           key is a pseudonym (a personnummer); a local id (e.g. SN-000123) only within its förbund.
-- So pågående(y-1) + (nyinskrivna - anonyma) - avslutade = pågående(y) holds by construction on every level whose
-- spells are fixed (forbund, insats, typ, kommun: a spell keeps the register row of its start date).
-- kon and alder split the förbund level: each individual is in one group per year, with the kön and födelseår of
-- their latest spell in the förbund that has one (an anonymous spell its own). kön Annat or blank is 'okant';
-- an age below 16 or a blank födelseår is 'okand'. So each dimension's groups add up to the förbund total, and
-- nyinskrivna in an age group means new to the förbund, not to the group (people age between groups).
create or replace table staging.deltagare_raknat as
with spells as (
    select forbund, insats, typ, kommun, person, anonym, start, slut, kategori from staging.sus_insats
),
levels as (
    select forbund, 'forbund' as niva, '*' as nyckel, person, anonym, start, slut, kategori from spells
    union all
    select forbund, 'insats', insats, person, anonym, start, slut, kategori from spells
    union all
    select forbund, 'typ', 'typ:' || typ, person, anonym, start, slut, kategori from spells
    union all
    select forbund, 'kommun', kommun, person, anonym, start, slut, kategori from spells where kommun is not null
),
spell_year as (
    select s.*, y.ar,
           s.slut is null or s.slut > make_date(y.ar, 12, 31) as open_at_end,
           s.start <= make_date(y.ar - 1, 12, 31) and (s.slut is null or s.slut > make_date(y.ar - 1, 12, 31))
               as open_at_start,
           -- the last spell decides the avslut category; on the same end day the better outcome wins
           date_diff('day', date '1900-01-01', coalesce(s.slut, date '9999-12-31')) * 100
               + 99 - coalesce(list_position(['arbete', 'studier', 'arbetssokande', 'studieredo', 'annan_insats',
                                              'sjukdom', 'flytt', 'avbrott', 'ovrigt', 'okand'], s.kategori), 11)
               as last_rank
    from levels s
    join register.ar y
      on s.start <= make_date(y.ar, 12, 31)
     and (s.slut is null or s.slut >= make_date(y.ar, 1, 1))
     and (not s.anonym or year(s.start) = y.ar)
),
person_year as (
    -- one row per level, year and individual; an anonymous spell is an individual of its own (its key is unique)
    select forbund, niva, nyckel, ar, person, bool_or(anonym) as anonym, count(*) as registreringar,
           bool_or(open_at_end) as open_at_end,
           bool_or(open_at_start) as open_at_start,
           arg_max(kategori, last_rank) as last_kategori,
           min(start) as forsta_start
    from spell_year
    group by all
),
earlier as (
    select person, forbund, slut from staging.sus_insats where not anonym and slut is not null
),
attribut as (
    select forbund, person,
           case arg_max(kon, start) filter (where kon is not null) when 'kvinna' then 'kvinna' when 'man' then 'man'
                else 'okant' end as kon,
           arg_max(fodelsear, start) filter (where fodelsear is not null) as fodelsear
    from staging.sus_insats
    group by all
),
units as (
    select p.*,
           not p.anonym and not p.open_at_start and exists (
               select 1 from earlier e
               where e.person = p.person and e.slut < p.forsta_start - 90
                 and (e.forbund = p.forbund or regexp_full_match(p.person, '[0-9a-f]{64}'))) as aterkommande
    from person_year p
),
grouped as (
    select * from units
    union all by name
    select u.* exclude (niva, nyckel), 'kon' as niva, a.kon as nyckel
    from units u join attribut a using (forbund, person)
    where u.niva = 'forbund'
    union all by name
    select u.* exclude (niva, nyckel), 'alder' as niva,
           case when a.fodelsear is null or u.ar - a.fodelsear < 16 then 'okand'
                when u.ar - a.fodelsear <= 19 then '16-19' when u.ar - a.fodelsear <= 24 then '20-24'
                when u.ar - a.fodelsear <= 29 then '25-29' when u.ar - a.fodelsear <= 39 then '30-39'
                when u.ar - a.fodelsear <= 49 then '40-49' when u.ar - a.fodelsear <= 64 then '50-64'
                else '65+' end as nyckel
    from units u join attribut a using (forbund, person)
    where u.niva = 'forbund'
)
select forbund, niva, nyckel, ar::integer as ar,
       count(*) as deltagare,
       count(*) filter (where anonym or not open_at_start) as nyinskrivna,
       count(*) filter (where not anonym and not open_at_end) as avslutade,
       count(*) filter (where not anonym and not open_at_end and last_kategori in ('arbete', 'studier'))
           as avslut_arbete_studier,
       count(*) filter (where not anonym and not open_at_end and last_kategori in ('arbetssokande', 'studieredo'))
           as avslut_jobb_studieredo,
       count(*) filter (where not anonym and open_at_end) as pagaende_vid_arets_slut,
       sum(registreringar) as registreringar,
       count(*) filter (where anonym) as anonyma,
       count(*) filter (where aterkommande) as aterkommande
from grouped
group by all;
