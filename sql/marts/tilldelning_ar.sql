-- marts.tilldelning_ar: the decided medelstilldelning per förbund and year (raw/tilldelning, in kr), on the full
-- förbund x year grid: NULL where there is no decision (a saknar_tilldelning finding), never 0.
--   stat, region, kommuner  the decided contributions of the state (Försäkringskassan), the region and the member
--                           kommuner together
--   totalt                  stat + region + kommuner
--   ansokt_stat             the state money the förbund applied for (Ansökt stat; NULL when the file has none)
--   mojlig_stat             the state money it could have had (Möjlig stat)
--   ansokt_andel_stat       ansokt_stat / mojlig_stat (Södra Norrbotten asked for 58 % of what it could get);
--                           NULL when either is missing or mojlig_stat is 0
--   ansokt_region           what the förbund asked of the region (Ansökt region; NULL when the file has none)
--   ansokt_kommuner         what it asked of the member kommuner together (Ansökt kommuner)
--   skillnad_region         region - ansokt_region: below 0 when the region decided less than asked (Sydnärke 2023:
--                           1 305 500 - 1 625 000 = -319 500); NULL when either is missing
--   skillnad_kommuner       kommuner - ansokt_kommuner
--   fil, rad                the file and row of the decision
create or replace table marts.tilldelning_ar as
select f.kod as forbund, y.ar::integer as ar,
       t.stat::double as stat, t.region::double as region, t.kommuner::double as kommuner,
       (t.stat + t.region + t.kommuner)::double as totalt,
       t.ansokt_stat::double as ansokt_stat, t.mojlig_stat::double as mojlig_stat,
       (t.ansokt_stat / nullif(t.mojlig_stat, 0))::double as ansokt_andel_stat,
       t.ansokt_region::double as ansokt_region, t.ansokt_kommuner::double as ansokt_kommuner,
       (t.region - t.ansokt_region)::double as skillnad_region,
       (t.kommuner - t.ansokt_kommuner)::double as skillnad_kommuner,
       t.fil, t.rad::bigint as rad
from register.forbund f
cross join register.ar y
left join staging.tilldelning_rader t on t.forbund = f.kod and t.ar = y.ar
order by forbund, ar;
