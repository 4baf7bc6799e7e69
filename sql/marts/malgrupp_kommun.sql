-- marts.malgrupp_kommun: the genomlysning's target group per member kommun and year, so a report can show each
-- kommun's share of its förbund's target group.
--   befolkning_16_64  population aged 16-64 on 31 December ar (staging.befolkning, from raw/scb/folkmangd/)
--   malgrupp          malgrupp_andel (installningar.yaml, 0.05) x befolkning_16_64; NULL when the population is
--                     missing (a saknar_befolkning finding in scb_kontroller), never 0
-- A kommun has a row for the years it counts for the förbund: member on 31 December (register.forbund_kommun_ar).
create or replace table marts.malgrupp_kommun as
select m.forbund, m.kommun, m.kommun_namn, m.ar::integer as ar,
       b.befolkning_16_64::bigint as befolkning_16_64,
       (i.malgrupp_andel * b.befolkning_16_64)::double as malgrupp
from register.forbund_kommun_ar m
cross join register.installningar i
left join staging.befolkning b on b.kommun = m.kommun and b.ar = m.ar
order by m.forbund, m.kommun, m.ar;
