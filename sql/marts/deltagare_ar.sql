-- marts.deltagare_ar: participants per förbund, insats and year. insats = '*' is the förbund total of unique
-- individuals (a person in two insatser counts once), never the sum over insatser.
-- Counted from registrations in staging.deltagare_raknat (sql/deltagare_raknat.sql holds every definition:
-- registreringar, deltagare, pagaende_vid_arets_slut, nyinskrivna, avslutade, avslut_arbete_studier,
-- avslut_jobb_studieredo, anonyma, aterkommande), levels:
--   insats = '*'            the förbund's unique individuals
--   insats = <name>         one insats, named as in SUS
--   insats = 'typ:<typ>'    the unique individuals of every insats of one typ in config/insatser.csv
--                           (typ:mottagningsteam, typ:coachingteam, typ:projekt, typ:ovrig, typ:okand)
-- So pågående(y-1) + (nyinskrivna - anonyma) - avslutade = pågående(y) holds by construction on each row.
-- Which source a förbund-year takes is staging.kallval's (sql/staging/kallval.sql): registrations (kalla = 'sus'),
-- Uppföljning Finsam counts (kalla = 'uppfoljning'), reported counts (raw/sus_aggregat, kalla = 'aggregat'); with
-- none, its counts are NULL (never 0) and fynd_sus reports it as saknar_sus. Every row of a förbund-year comes
-- from that one source, never a sum of two.
-- From Uppföljning Finsam (no individuals, so no unique persons, no stock and flow):
--   insats = <name>         an individinriktad insats as registered: deltagare = registreringar = its total
--                           (Totalt, else Kvinnor + Män); strukturövergripande insatser are not deltagare and are
--                           only in marts.insats_ar
--   insats = '*'            deltagare NULL (unique persons across insatser are unknown); registreringar = Σ the
--                           individinriktade insatsers' totals
--   avslutade, avslut_arbete_studier, avslut_jobb_studieredo   from raw/avslut_rapporterade (Σ Antal, by the
--                           kategori config/avslutsorsak.csv gives each text), NULL where nothing was reported
--   nyinskrivna, pagaende_vid_arets_slut, anonyma, aterkommande   NULL
create or replace table marts.deltagare_ar as
with from_sus as (
    select r.forbund, r.nyckel as insats, r.ar, r.deltagare, r.nyinskrivna, r.avslutade, r.avslut_arbete_studier,
           r.avslut_jobb_studieredo, r.pagaende_vid_arets_slut, r.registreringar, r.anonyma, r.aterkommande,
           'sus' as kalla
    from staging.deltagare_raknat r
    join staging.kallval k on k.forbund = r.forbund and k.ar = r.ar and k.kalla = 'sus'
    where r.niva in ('forbund', 'insats', 'typ')
),
uppfoljning as (
    select u.forbund, u.ar, u.insats, u.insats_nyckel, u.totalt
    from staging.uppfoljning_rader u
    join staging.kallval k on k.forbund = u.forbund and k.ar = u.ar and k.kalla = 'uppfoljning'
    where u.inriktning = 'individinriktad'
),
avslut as (
    -- a level that reported anything has a row, so its counts are numbers (0 where a kategori is missing)
    select forbund, ar, insats_nyckel, sum(antal) as avslutade,
           coalesce(sum(antal) filter (where arbete_studier(kategori)), 0) as avslut_arbete_studier,
           coalesce(sum(antal) filter (where jobb_studieredo(kategori)), 0) as avslut_jobb_studieredo
    from staging.avslut_rapporterat
    group by all
),
from_uppfoljning as (
    select u.forbund, u.insats, u.ar, u.totalt as deltagare, u.totalt as registreringar, a.avslutade,
           a.avslut_arbete_studier, a.avslut_jobb_studieredo, 'uppfoljning' as kalla
    from uppfoljning u
    left join avslut a on a.forbund = u.forbund and a.ar = u.ar and a.insats_nyckel = u.insats_nyckel
    union all
    -- the förbund row: a total only when every individinriktad insats reported one
    select k.forbund, '*', k.ar, null, t.registreringar, a.avslutade, a.avslut_arbete_studier,
           a.avslut_jobb_studieredo, 'uppfoljning'
    from staging.kallval k
    left join (select forbund, ar, case when count(*) = count(totalt) then sum(totalt) end as registreringar
               from uppfoljning group by forbund, ar) t on t.forbund = k.forbund and t.ar = k.ar
    left join avslut a on a.forbund = k.forbund and a.ar = k.ar and a.insats_nyckel is null
    where k.kalla = 'uppfoljning'
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
    join staging.kallval k on k.forbund = r.forbund and k.ar = r.ar and k.kalla = 'aggregat'
),
counted as (
    select * from from_sus
    union all by name
    select * from from_reports
    union all by name
    select * from from_uppfoljning
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
