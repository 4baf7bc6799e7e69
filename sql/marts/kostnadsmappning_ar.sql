-- marts.kostnadsmappning_ar: which årsredovisning line went to which kategori, per förbund and year, so a reader
-- can see what a förbund's administration, strukturövergripande and individinriktade costs are made of, and where
-- a line changed kategori between years (config/kostnadsmappning.csv has validity years).
--   forbund       förbund code (register.forbund)
--   ar            the year of the årsredovisning
--   post          the line text as printed in the file (trimmed)
--   kategori      what config/kostnadsmappning.csv mapped it to: individinriktade_insatser,
--                 strukturovergripande_insatser, administration, medlemsbidrag_stat, medlemsbidrag_region,
--                 medlemsbidrag_kommun, externa_bidrag, ovriga_intakter, finansiella_poster, eget_kapital,
--                 exkludera (subtotals, counted nowhere)
--   belopp        the line's amount in kr as marts.ekonomi_ar adds it up (costs and incomes positive); lines with
--                 the same text in one förbund-year are summed
--   mappning_rad  the line of config/kostnadsmappning.csv that decided the kategori (a header is line 1)
-- One row per förbund, year, line text, kategori and mapping line. Read from staging.ekonomi_rader, the lines of
-- the accepted files only.
create or replace table marts.kostnadsmappning_ar as
select forbund, ar::integer as ar, post, kategori, sum(belopp)::double as belopp, mappning_rad::bigint as mappning_rad
from staging.ekonomi_rader
group by forbund, ar, post, kategori, mappning_rad
order by forbund, ar, kategori, post;
