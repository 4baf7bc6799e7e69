-- marts.jamforelse_kommun_ar: the genomlysning's Bilaga 1 per member kommun and year (the review splits Lekeberg
-- and Örebro): deltagare of the insatser serving the kommun against the kommun's target group.
--   deltagare        marts.deltagare_kommun_ar.deltagare (unique individuals of the insatser serving the kommun;
--                    whole-förbund insatser count in no kommun); NULL when unknown, never 0
--   avslutade        marts.deltagare_kommun_ar.avslutade
--   andel_avslutade  avslutade / deltagare
--   malgrupp         marts.malgrupp_kommun.malgrupp: malgrupp_andel x the kommun's population 16-64 on 31 December
--   tackningsgrad    deltagare / malgrupp
--   kostnad_insatser Σ marts.kostnad_insats_ar.kostnad of the insatser serving the kommun: the årsredovisning lines
--                    tied to them (mottagnings- and coachingteam alike); NULL when no tied line serves the kommun
--   kostnad_per_deltagare  kostnad_insatser / deltagare (the review's cost per deltagare for Lekeberg and Örebro)
-- One row per kommun and year it counts for the förbund (a member on 31 December). A ratio with a missing or zero
-- denominator is NULL.
create or replace table marts.jamforelse_kommun_ar as
select m.forbund, m.kommun, m.kommun_namn, m.ar::integer as ar,
       d.deltagare::bigint as deltagare,
       d.avslutade::bigint as avslutade,
       (d.avslutade / nullif(d.deltagare, 0))::double as andel_avslutade,
       m.malgrupp::double as malgrupp,
       (d.deltagare / nullif(m.malgrupp, 0))::double as tackningsgrad,
       k.kostnad::double as kostnad_insatser,
       (k.kostnad / nullif(d.deltagare, 0))::double as kostnad_per_deltagare
from marts.malgrupp_kommun m
left join marts.deltagare_kommun_ar d using (forbund, kommun, ar)
left join (select forbund, kommun, ar, sum(kostnad) as kostnad from marts.kostnad_insats_ar where kommun is not null
           group by all) k using (forbund, kommun, ar)
order by forbund, kommun, ar;
