-- staging.fynd_insats: SUS insatser the insats register (config/insatser.csv) does not describe.
--   okand_insats            (varning) one per förbund and SUS insats name with spells that no register row covers:
--                           the name is not in the register, or the spells start outside its rows' giltig_fran ..
--                           giltig_till. Those spells count as typ 'okand' and in no kommun. varde = spells.
--   saknar_insatsregister   (info) SUS has spells but the register is missing or empty: every insats is 'okand'
create or replace table staging.fynd_insats as
with okanda as (
    select forbund, insats, count(*) as spells, greatest(min(year(start)), (select min(ar) from register.ar)) as ar,
           first(fil order by fil, rad) as fil, first(rad order by fil, rad) as rad,
           bool_or(i_registret) as i_registret
    from staging.sus_insats
    where register_rad is null
    group by forbund, insats
)
select 'okand_insats' as regel, 'varning' as allvarlighet,
       case when i_registret
            then printf('%d spell(s) start outside the giltig_fran..giltig_till of the insats''s rows in '
                        || 'config/insatser.csv: counted as typ ''okand'', in no kommun', spells)
            else printf('insats not in config/insatser.csv: its %d spell(s) count as typ ''okand'', in no kommun',
                        spells) end as beskrivning,
       'sus' as kalla, forbund, ar, insats, fil, rad, 'Insats' as kolumn, insats as hittat,
       'a row of config/insatser.csv for the förbund and insats, valid on the spell''s start date' as forvantat,
       spells::double as varde
from okanda
where exists (select 1 from register.insatser)
union all by name
select 'saknar_insatsregister' as regel, 'info' as allvarlighet,
       'config/insatser.csv is missing or empty: every insats is typ ''okand'' and no kommun has deltagare'
           as beskrivning, 'sus' as kalla
where not exists (select 1 from register.insatser) and exists (select 1 from staging.sus_insats);
