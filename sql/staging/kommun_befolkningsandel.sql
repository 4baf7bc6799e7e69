-- staging.kommun_befolkningsandel: how the kommun quarter of a förbund's medelstilldelning is split between its
-- member kommuner (finansieringsmodellen): by population on 1 November of the year before. One row per förbund,
-- year and member kommun (the kommuner that count for the förbund that year: members on 31 December).
--   befolkning_medlemmar  Σ befolkning_1_nov over the members; NULL when any member's population is missing or the
--                         sum is 0 (no split can be made)
--   andel                 befolkning_1_nov / befolkning_medlemmar
-- Read by marts.kommunfordelning (expected against reported kommun lines) and marts.finansiering_ar (who pays).
create or replace table staging.kommun_befolkningsandel as
with members as (
    select m.forbund, m.ar, m.kommun, m.kommun_namn, b.befolkning_totalt as befolkning_1_nov
    from register.forbund_kommun_ar m
    left join staging.befolkning_nov b on b.kommun = m.kommun and b.ar = m.ar - 1
),
population as (
    select forbund, ar, sum(befolkning_1_nov) as befolkning_medlemmar,
           count(*) filter (where befolkning_1_nov is null) as saknas
    from members
    group by all
)
select m.forbund, m.ar, m.kommun, m.kommun_namn, m.befolkning_1_nov,
       case when p.saknas = 0 then nullif(p.befolkning_medlemmar, 0) end as befolkning_medlemmar,
       m.befolkning_1_nov / case when p.saknas = 0 then nullif(p.befolkning_medlemmar, 0) end as andel
from members m
join population p using (forbund, ar);
