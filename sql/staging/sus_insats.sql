-- staging.sus_insats: every SUS spell (staging.sus_registreringar) with what the insats register
-- (register.insatser, from config/insatser.csv) says about its insats on the spell's start date.
--   insats_nyckel    the insats name ignoring case and whitespace, written at ingest by finsam.config.norm_name
--                    (staging.sus_insatsnamn; register.insatser.insats_nyckel for the register's names): how a SUS
--                    name finds its register row, and how a cost line's insats finds its SUS name
--   typ              mottagningsteam, coachingteam, projekt or ovrig; 'okand' when no register row of the förbund
--                    and insats is valid on the spell's start date (fynd_insats reports each such insats)
--   kommun           the member kommun the insats serves; NULL = the whole förbund, or not in the register
--   finansiering     medlemsbidrag, externa or NULL
--   register_rad     the line of config/insatser.csv that applies; register_insats its spelling of the name
--   i_registret      the register has some row for the förbund and insats (valid on other dates, when no row applies)
-- A spell keeps the register row of its start date for its whole length, so each level counted from these spells
-- (a typ, a kommun) keeps the stock-flow identity even when the register changes an insats over time.
create or replace table staging.sus_insats as
select s.*, n.insats_nyckel, coalesce(r.typ, 'okand') as typ, r.kommun, r.finansiering, r.rad as register_rad,
       r.insats as register_insats,
       exists (select 1 from register.insatser x where x.forbund = s.forbund and x.insats_nyckel = n.insats_nyckel)
           as i_registret
from staging.sus_registreringar s
join staging.sus_insatsnamn n using (insats)
left join register.insatser r on r.forbund = s.forbund and r.insats_nyckel = n.insats_nyckel
     and s.start >= r.giltig_fran and (r.giltig_till is null or s.start <= r.giltig_till);
