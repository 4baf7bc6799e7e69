-- staging.avslut_rapporterat: the avslut the insatser reported after SUS (raw/avslut_rapporterade), added up once
-- for every mart that uses them: per förbund, year, insats (insats_nyckel, the key norm_name gives the name) and
-- kategori, and with insats_nyckel NULL for the whole förbund. Only levels that reported anything have rows.
--   antal      Σ Antal
--   med_stod   Σ Antal of texts whose stod is med_stod (config/avslutsorsak.csv)
--   utan_stod  Σ Antal of texts whose stod is utan_stod
create or replace table staging.avslut_rapporterat as
select forbund, ar, insats_nyckel, kategori, sum(antal) as antal,
       coalesce(sum(antal) filter (where stod = 'med_stod'), 0) as med_stod,
       coalesce(sum(antal) filter (where stod = 'utan_stod'), 0) as utan_stod
from staging.avslut_rapporterade_rader
group by grouping sets ((forbund, ar, insats_nyckel, kategori), (forbund, ar, kategori));
