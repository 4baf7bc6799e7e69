-- marts.deltagare_ar: participants per förbund, insats and year. insats = '*' is the förbund total of unique
-- individuals (a person in two insatser counts once), never the sum over insatser.
-- Definitions (data-contract.md, "Counting"), per level (insats, or the förbund for '*') and year y:
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
-- So pågående(y-1) + (nyinskrivna - anonyma) - avslutade = pågående(y) holds by construction.
-- A förbund-year without registrations takes reported counts (raw/sus_aggregat, kalla = 'aggregat');
-- with neither, its counts are NULL (never 0) and sus_avstamning reports it as saknar_sus.
create or replace table marts.deltagare_ar as
with spells as (
    select forbund, insats, person, anonym, start, slut, kategori from staging.sus_registreringar
    union all by name
    select forbund, '*' as insats, person, anonym, start, slut, kategori from staging.sus_registreringar
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
    from spells s
    join register.ar y
      on s.start <= make_date(y.ar, 12, 31)
     and (s.slut is null or s.slut >= make_date(y.ar, 1, 1))
     and (not s.anonym or year(s.start) = y.ar)
),
person_year as (
    select forbund, insats, ar, person,
           bool_or(open_at_end) as open_at_end,
           bool_or(open_at_start) as open_at_start,
           arg_max(kategori, last_rank) as last_kategori
    from spell_year
    where not anonym
    group by all
),
persons as (
    select forbund, insats, ar,
           count(*) as deltagare,
           count(*) filter (where not open_at_start) as nyinskrivna,
           count(*) filter (where not open_at_end) as avslutade,
           count(*) filter (where not open_at_end and last_kategori in ('arbete', 'studier')) as avslut_arbete_studier,
           count(*) filter (where not open_at_end and last_kategori in ('arbetssokande', 'studieredo'))
               as avslut_jobb_studieredo,
           count(*) filter (where open_at_end) as pagaende_vid_arets_slut
    from person_year
    group by all
),
registrations as (
    select forbund, insats, ar, count(*) as registreringar, count(*) filter (where anonym) as anonyma
    from spell_year
    group by all
),
from_sus as (
    select r.forbund, r.insats, r.ar,
           coalesce(p.deltagare, 0) + r.anonyma as deltagare,
           coalesce(p.nyinskrivna, 0) + r.anonyma as nyinskrivna,
           coalesce(p.avslutade, 0) as avslutade,
           coalesce(p.avslut_arbete_studier, 0) as avslut_arbete_studier,
           coalesce(p.avslut_jobb_studieredo, 0) as avslut_jobb_studieredo,
           coalesce(p.pagaende_vid_arets_slut, 0) as pagaende_vid_arets_slut,
           r.registreringar, r.anonyma, 'sus' as kalla
    from registrations r
    left join persons p using (forbund, insats, ar)
),
reported as (
    select forbund, ar, insats,
           max(deltagare) filter (where uttag = 'unika') as deltagare,
           max(nyinskrivna) filter (where uttag = 'unika') as nyinskrivna,
           max(avslutade) filter (where uttag = 'unika') as avslutade,
           max(avslut_arbete_studier) filter (where uttag = 'unika') as avslut_arbete_studier,
           max(avslut_jobb_studieredo) filter (where uttag = 'unika') as avslut_jobb_studieredo,
           max(deltagare) filter (where uttag = 'registrerade') as registreringar
    from staging.sus_aggregat_rader
    group by all
),
from_reports as (
    select r.forbund, r.insats, r.ar, r.deltagare, r.nyinskrivna, r.avslutade, r.avslut_arbete_studier,
           r.avslut_jobb_studieredo, null::bigint as pagaende_vid_arets_slut, r.registreringar,
           null::bigint as anonyma, 'aggregat' as kalla
    from reported r
    join register.forbund f on f.kod = r.forbund
    join register.ar y on y.ar = r.ar
    where not exists (select 1 from from_sus s where s.forbund = r.forbund and s.ar = r.ar and s.insats = '*')
),
counted as (
    select * from from_sus
    union all by name
    select * from from_reports
),
grid as (
    select f.kod as forbund, '*' as insats, y.ar from register.forbund f cross join register.ar y
)
select g.forbund, g.ar::integer as ar, g.insats,
       c.deltagare::bigint as deltagare, c.nyinskrivna::bigint as nyinskrivna, c.avslutade::bigint as avslutade,
       c.avslut_arbete_studier::bigint as avslut_arbete_studier,
       c.avslut_jobb_studieredo::bigint as avslut_jobb_studieredo,
       c.pagaende_vid_arets_slut::bigint as pagaende_vid_arets_slut, c.registreringar::bigint as registreringar,
       c.anonyma::bigint as anonyma, c.kalla
from grid g
left join counted c using (forbund, insats, ar)
union all by name
select forbund, ar::integer as ar, insats, deltagare::bigint as deltagare, nyinskrivna::bigint as nyinskrivna,
       avslutade::bigint as avslutade, avslut_arbete_studier::bigint as avslut_arbete_studier,
       avslut_jobb_studieredo::bigint as avslut_jobb_studieredo,
       pagaende_vid_arets_slut::bigint as pagaende_vid_arets_slut, registreringar::bigint as registreringar,
       anonyma::bigint as anonyma, kalla
from counted
where insats <> '*'
order by forbund, insats = '*' desc, insats, ar;
