-- staging.fynd_uppfoljning_efter_avslut: findings on the follow-up after avslut (marts.uppfoljning_efter_avslut_ar),
-- each naming the file and row it comes from; ar is the avslutsår.
--   lag_svarsfrekvens     (varning) svarsfrekvens below svarsfrekvens_varning (installningar.yaml, 0.5): the
--                         outcome shares describe those who answered, who may fare otherwise than those who did not;
--                         varde = svarsfrekvens
--   tackningsgrad_over_1  (varning) the file gives no Avslutade, and deltagare_ar's avslutade of the förbund
--                         (insats) and year are fewer than the tillfrågade: the two count different avslut, so the
--                         mart leaves avslutade and tackningsgrad NULL; varde = tillfrågade ÷ those avslutade
create or replace table staging.fynd_uppfoljning_efter_avslut as
with rader as (
    select m.*, r.fil, r.rad, r.avslutade as avslutade_i_filen, d.avslutade as avslutade_i_lagret
    from marts.uppfoljning_efter_avslut_ar m
    join staging.uppfoljning_efter_avslut_rader r using (forbund, insats, avslutsar, manader)
    left join staging.deltagare_nyckel_ar d
           on d.forbund = r.forbund and d.ar = r.avslutsar and d.insats_nyckel = r.insats_nyckel
)
select 'lag_svarsfrekvens' as regel, 'varning' as allvarlighet,
       printf('%d of %d asked answered the follow-up %d months after avslut (%.1f %%), below svarsfrekvens_varning '
              || '%.0f %% (installningar.yaml): the outcome shares describe those who answered, who may fare '
              || 'otherwise than those who did not', r.svarande, r.tillfragade, r.manader, r.svarsfrekvens * 100,
              i.svarsfrekvens_varning * 100) as beskrivning,
       'uppfoljning_efter_avslut' as kalla, r.forbund, r.avslutsar as ar, r.insats, r.fil, r.rad,
       'Svarande' as kolumn, printf('%.1f %%', r.svarsfrekvens * 100) as hittat,
       printf('at least %.0f %% of Tillfrågade', i.svarsfrekvens_varning * 100) as forvantat,
       r.svarsfrekvens as varde
from rader r
cross join register.installningar i
where r.svarsfrekvens < i.svarsfrekvens_varning
union all
select 'tackningsgrad_over_1', 'varning',
       printf('the file gives no Avslutade, and the warehouse has %d avslutade for %s in %d (deltagare_ar), fewer '
              || 'than the %d tillfrågade: they count different avslut, so avslutade and täckningsgrad are left '
              || 'empty; give Avslutade in the file', r.avslutade_i_lagret, r.insats, r.avslutsar, r.tillfragade),
       'uppfoljning_efter_avslut', r.forbund, r.avslutsar, r.insats, r.fil, r.rad, 'Tillfrågade',
       r.tillfragade::varchar, printf('at most %d (avslutade in deltagare_ar)', r.avslutade_i_lagret),
       r.tillfragade / nullif(r.avslutade_i_lagret, 0)
from rader r
where r.avslutade_i_filen is null and r.avslutade_i_lagret < r.tillfragade
order by regel, forbund, ar, insats;
