-- staging.deltagare_nyckel_ar: the deltagare and avslutade of each förbund and insats per year, by insats key, so that
-- a source naming an insats in its own spelling (raw/uppfoljning_efter_avslut/, raw/indikatorer/) finds its counts:
--   insats_nyckel  '*' for the förbund; for an insats the key norm_name gives its name (finsam.config): the name of
--                  an Uppföljning Finsam year through staging.uppfoljning_rader, of a registration year through
--                  staging.sus_insatsnamn (one normalisation, in Python, never a second in SQL); a name only a
--                  report (raw/sus_aggregat/) gives is kept as written
--   deltagare      the förbund's: marts.jamforelse_ar.deltagare (one series across the SUS closure: unique persons,
--                  after it the sum over the individinriktade insatser); an insats': marts.deltagare_ar's
--   avslutade      marts.deltagare_ar's
-- Two spellings of one insats that are two rows of deltagare_ar in a year are added up. The typ:<typ> rows of
-- deltagare_ar are left out: no source names an insats so.
create or replace table staging.deltagare_nyckel_ar as
with uppfoljning as (
    select distinct forbund, ar, insats, insats_nyckel from staging.uppfoljning_rader
)
select d.forbund, d.ar, '*' as insats_nyckel, j.deltagare, d.avslutade
from marts.deltagare_ar d
left join marts.jamforelse_ar j on j.forbund = d.forbund and j.ar = d.ar
where d.insats = '*'
union all
select d.forbund, d.ar, coalesce(u.insats_nyckel, s.insats_nyckel, d.insats) as insats_nyckel,
       sum(d.deltagare) as deltagare, sum(d.avslutade) as avslutade
from marts.deltagare_ar d
left join uppfoljning u on d.kalla = 'uppfoljning' and u.forbund = d.forbund and u.ar = d.ar and u.insats = d.insats
left join staging.sus_insatsnamn s on d.kalla = 'sus' and s.insats = d.insats
where d.insats <> '*' and d.insats not like 'typ:%'
group by all;
