-- marts.avslut_ar: the avslutade of each förbund (insats = '*', unique individuals) and insats per year, split by
-- the kategori of their last spell: every kategori of config/avslutsorsak.csv plus okand, arbete and studier apart.
-- One row per row of marts.deltagare_ar and kategori (register.avslut_kategori). Per level and year y:
--   avslutade         non-anonymous deltagare of y not open after 31 Dec y whose last spell (latest end date; on
--                     the same day the better outcome) has this kategori (staging.deltagare_person_ar)
--   avslutade_totalt  deltagare_ar.avslutade of the level and year: what the kategori rows add up to
--   andel             avslutade / avslutade_totalt
--   med_stod          of avslutade, those whose last spell's avslutsorsak says continued public support
--                     (config/avslutsorsak.csv, column stod = med_stod: "Arbete med lönestöd", ...)
--   utan_stod         of avslutade, those whose text says without support (stod = utan_stod); the rest, blank
--                     stod ("Arbete", "Studier"), is not known either way
-- Counts exist only where deltagare_ar counted from registrations (kalla = 'sus'): reports (kalla = 'aggregat')
-- give no split by kategori, so there the counts are NULL, as for years without data. The blocking check
-- avslut_ar_summa proves, on every build, that the kategori rows add up to deltagare_ar's avslutade,
-- avslut_arbete_studier (arbete + studier) and avslut_jobb_studieredo (arbetssokande + studieredo).
create or replace table marts.avslut_ar as
with counted as (
    select forbund, nyckel as insats, ar, last_kategori as kategori, count(*) as avslutade,
           count(*) filter (where last_stod = 'med_stod') as med_stod,
           count(*) filter (where last_stod = 'utan_stod') as utan_stod
    from staging.deltagare_person_ar
    where niva in ('forbund', 'insats', 'typ') and not anonym and not open_at_end
    group by all
)
select d.forbund, d.insats, d.ar::integer as ar, k.kategori,
       case when d.kalla = 'sus' then coalesce(c.avslutade, 0) end::bigint as avslutade,
       d.avslutade::bigint as avslutade_totalt,
       (case when d.kalla = 'sus' then coalesce(c.avslutade, 0) end / nullif(d.avslutade, 0))::double as andel,
       case when d.kalla = 'sus' then coalesce(c.med_stod, 0) end::bigint as med_stod,
       case when d.kalla = 'sus' then coalesce(c.utan_stod, 0) end::bigint as utan_stod
from marts.deltagare_ar d
cross join register.avslut_kategori k
left join counted c on c.forbund = d.forbund and c.insats = d.insats and c.ar = d.ar and c.kategori = k.kategori
order by d.forbund, d.insats = '*' desc, d.insats, d.ar, k.ordning;
