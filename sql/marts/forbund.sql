-- marts.forbund: every förbund of the registry (config/forbund.yaml) with its name and län, so that the code in
-- any mart reads as a name for people and in the workbook.
--   forbund        the förbund's code, as in every other mart
--   forbundsnamn   its name as the registry gives it
--   lan            the two-digit county code of its län (18 = Örebro län)
--   medlemskommuner  the kommuner that are members on 31 December of the warehouse's last year, by code
create or replace table marts.forbund as
select f.kod as forbund, f.namn as forbundsnamn, f.region as lan,
       (select string_agg(k.kommun, ', ' order by k.kommun) from register.forbund_kommun_ar k
        where k.forbund = f.kod and k.ar = (select max(ar) from register.ar)) as medlemskommuner
from register.forbund f
order by f.kod;
