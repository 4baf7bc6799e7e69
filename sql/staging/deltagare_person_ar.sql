-- staging.deltagare_person_ar: the counting's person-year, one row per förbund, level (niva), key (nyckel), year
-- and individual (an anonymous spell is an individual of its own, in its start year only). The levels and rules
-- are described in sql/staging/deltagare_raknat.sql, which adds these rows up; marts.avslut_ar reads the same rows, so the
-- participant marts and the avslut split can never count differently.
--   anonym, registreringar  an anonymous spell; the individual's spells overlapping the year
--   open_at_start           a spell open after 31 Dec y-1;  open_at_end  a spell open after 31 Dec y
--   last_kategori           the kategori of the last spell (latest end; on the same day the better outcome, in
--                           register.avslut_kategori's order);  last_stod  that spell's stod (register.avslutsorsak;
--                           among equally ranked last spells utan_stod wins over med_stod, med_stod over none)
--   forsta_start            the first start of the individual's spells of the level in the year
--   last_fore, last_efter   the försörjning kategori before and after (config/forsorjning.csv) of the last spell,
--                           chosen as last_kategori is (on an equal rank the spell that carries them, then the
--                           larger kategori); förbund level (and kon, alder) only, NULL elsewhere and where the
--                           last spell's file has no Försörjning columns
--   aterkommande            nyinskriven with an earlier spell ended more than 90 days before forsta_start
-- person is a number, not the key: the individual's rank among the build's person keys in text order (nycklar).
-- No reader needs the key itself, only who is the same individual; grouping and writing millions of rows keyed by
-- 64-character pseudonyms was most of this step's time, and joining them back onto the 7.2 million national rows a
-- quarter of it. So the step's table holds no pseudonym either.
create or replace table staging.deltagare_person_ar as
with nycklar as (
    select person, row_number() over (order by person) as nr, regexp_full_match(person, '[0-9a-f]{64}') as pseudonym
    from (select distinct person from staging.sus_insats)
),
insats as (
    select s.* exclude (person), n.nr as person, n.pseudonym
    from staging.sus_insats s join nycklar n using (person)
),
-- the försörjning kategorier that occur, in text order: each spell carries its pair as their numbers (0 = none), so
-- that the last spell's pair is the max of one number, not an arg_max keyed by a struct of texts (which was slower
-- than all the rest of the grouping together)
forsorjning as (
    select list(kategori order by kategori) as kategorier, count(*) + 1 as bas
    from (select fore_kategori as kategori from staging.sus_insats
          union select efter_kategori from staging.sus_insats)
    where kategori is not null
),
spells as (
    select s.forbund, s.insats, s.typ, s.kommun, s.person, s.anonym, s.start, s.slut, s.kategori, a.stod,
           coalesce(list_position(f.kategorier, s.fore_kategori), 0) * f.bas
               + coalesce(list_position(f.kategorier, s.efter_kategori), 0) as forsorjning
    from insats s
    cross join forsorjning f
    left join staging.sus_avslutsorsak t on t.avslutsorsak = s.avslutsorsak
    left join register.avslutsorsak a on a.nyckel = t.nyckel and a.kategori = s.kategori and s.slut is not null
),
levels as (
    select forbund, 'forbund' as niva, '*' as nyckel, person, anonym, start, slut, kategori, stod, forsorjning
    from spells
    union all by name
    select forbund, 'insats' as niva, insats as nyckel, person, anonym, start, slut, kategori, stod from spells
    union all by name
    select forbund, 'typ' as niva, 'typ:' || typ as nyckel, person, anonym, start, slut, kategori, stod from spells
    union all by name
    select forbund, 'kommun' as niva, kommun as nyckel, person, anonym, start, slut, kategori, stod from spells
    where kommun is not null
),
spell_year as (
    select s.*, y.ar,
           s.slut is null or s.slut > make_date(y.ar, 12, 31) as open_at_end,
           s.start <= make_date(y.ar - 1, 12, 31) and (s.slut is null or s.slut > make_date(y.ar - 1, 12, 31))
               as open_at_start,
           -- the last spell decides the avslut category; on the same end day the better outcome wins
           date_diff('day', date '1900-01-01', coalesce(s.slut, date '9999-12-31')) * 100
               + 99 - coalesce(k.ordning, 11) as last_rank,
           coalesce(list_position(['med_stod', 'utan_stod'], s.stod), 0) as stod_rank
    from levels s
    left join register.avslut_kategori k on k.kategori = s.kategori
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
           -- among equally ranked last spells utan_stod wins over med_stod, med_stod over a text that does not say
           arg_max_null(stod, last_rank * 3 + stod_rank) as last_stod,
           min(start) as forsta_start,
           -- the last spell's pair: by last_rank, then (as the kategori's numbers follow their text) the spell that
           -- carries a före, the larger före, the spell that carries an efter, the larger efter
           max(last_rank * (select bas * bas from forsorjning) + forsorjning) filter (where niva = 'forbund')
               as last_forsorjning
    from spell_year
    group by all
),
earlier as (
    select person, forbund, slut, pseudonym from insats where not anonym and slut is not null
),
attribut as (
    select forbund, person,
           case arg_max(kon, start) filter (where kon is not null) when 'kvinna' then 'kvinna' when 'man' then 'man'
                else 'okant' end as kon,
           arg_max(fodelsear, start) filter (where fodelsear is not null) as fodelsear
    from insats
    group by all
),
units as (
    select p.*,
           not p.anonym and not p.open_at_start and exists (
               select 1 from earlier e
               where e.person = p.person and e.slut < p.forsta_start - 90
                 and (e.forbund = p.forbund or e.pseudonym)) as aterkommande
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
select g.* exclude (last_forsorjning),
       f.kategorier[nullif((g.last_forsorjning % (f.bas * f.bas)) // f.bas, 0)] as last_fore,
       f.kategorier[nullif(g.last_forsorjning % f.bas, 0)] as last_efter
from grouped g cross join forsorjning f;
