-- staging.deltagare_raknat: participants counted from SUS registrations, one row per förbund, level (niva), key
-- (the person-year rows of staging.deltagare_person_ar, sql/staging/deltagare_person_ar.sql, added up)
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
-- In a förbund's first year of registrations, and the first year after a year without any
-- (staging.forsta_registreringsar), nyinskrivna and aterkommande are NULL on every level: nobody's spell before
-- 1 January is known there, so every deltagare would count as new and none as returning.
create or replace table staging.deltagare_raknat as
select r.* replace (case when s.forbund is null then r.nyinskrivna end as nyinskrivna,
                    case when s.forbund is null then r.aterkommande end as aterkommande)
from (
select forbund, niva, nyckel, ar::integer as ar,
       count(*) as deltagare,
       count(*) filter (where anonym or not open_at_start) as nyinskrivna,
       count(*) filter (where not anonym and not open_at_end) as avslutade,
       count(*) filter (where not anonym and not open_at_end and arbete_studier(last_kategori))
           as avslut_arbete_studier,
       count(*) filter (where not anonym and not open_at_end and jobb_studieredo(last_kategori))
           as avslut_jobb_studieredo,
       count(*) filter (where not anonym and open_at_end) as pagaende_vid_arets_slut,
       sum(registreringar) as registreringar,
       count(*) filter (where anonym) as anonyma,
       count(*) filter (where aterkommande) as aterkommande
from staging.deltagare_person_ar
group by all
) r
left join staging.forsta_registreringsar s using (forbund, ar);
