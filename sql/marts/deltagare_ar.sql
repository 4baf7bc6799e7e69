-- marts.deltagare_ar: participants per förbund, insats and year. insats = '*' is the förbund total of unique
-- individuals (a person in two insatser counts once), never the sum over insatser.
-- Counted from registrations in staging.deltagare_raknat (sql/staging/deltagare_raknat.sql holds every definition:
-- registreringar, deltagare, pagaende_vid_arets_slut, nyinskrivna, avslutade, avslut_arbete_studier,
-- avslut_jobb_studieredo, anonyma, aterkommande), levels:
--   insats = '*'            the förbund's unique individuals
--   insats = <name>         one insats, named as in SUS
--   insats = 'typ:<typ>'    the unique individuals of every insats of one typ in config/insatser.csv
--                           (typ:mottagningsteam, typ:coachingteam, typ:projekt, typ:ovrig, typ:okand)
-- So pågående(y-1) + (nyinskrivna - anonyma) - avslutade = pågående(y) holds by construction on each row.
-- A förbund-year without registrations takes reported counts (raw/sus_aggregat, kalla = 'aggregat');
-- with neither, its counts are NULL (never 0) and sus_avstamning reports it as saknar_sus.
create or replace table marts.deltagare_ar as
with from_sus as (
    select forbund, nyckel as insats, ar, deltagare, nyinskrivna, avslutade, avslut_arbete_studier,
           avslut_jobb_studieredo, pagaende_vid_arets_slut, registreringar, anonyma, aterkommande, 'sus' as kalla
    from staging.deltagare_raknat
    where niva in ('forbund', 'insats', 'typ')
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
       c.anonyma::bigint as anonyma, c.kalla, c.aterkommande::bigint as aterkommande
from grid g
left join counted c using (forbund, insats, ar)
union all by name
select forbund, ar::integer as ar, insats, deltagare::bigint as deltagare, nyinskrivna::bigint as nyinskrivna,
       avslutade::bigint as avslutade, avslut_arbete_studier::bigint as avslut_arbete_studier,
       avslut_jobb_studieredo::bigint as avslut_jobb_studieredo,
       pagaende_vid_arets_slut::bigint as pagaende_vid_arets_slut, registreringar::bigint as registreringar,
       anonyma::bigint as anonyma, kalla, aterkommande::bigint as aterkommande
from counted
where insats <> '*'
order by forbund, insats = '*' desc, insats, ar;
