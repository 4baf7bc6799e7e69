-- marts.forsorjning_fore_efter_ar: SUS's före/efter comparison. The avslutade of each förbund and year, by how
-- their last spell says they supported themselves when it started (fore) and when it ended (efter): the optional
-- SUS columns Försörjning före and Försörjning efter, mapped by config/forsorjning.csv (an unknown text or a blank
-- cell in a file that has the column is okand, with an okand_forsorjning finding).
--   avslutade  non-anonymous deltagare of y not open after 31 Dec y (staging.deltagare_person_ar, the förbund level,
--              as deltagare_ar and avslut_ar count them) whose last spell (latest end; on the same day the better
--              avslut kategori, as avslut_ar) carries the columns, by that spell's fore and efter
-- Years whose förbund figures come from the registrations only (deltagare_ar.kalla = 'sus', as avslut_ar's split):
-- a year SUS covers in part (the one it closed in) takes its figures elsewhere. No rows where the förbund's SUS
-- exports have no Försörjning columns; where some have, the rows add up to less than avslutade (the check summa).
-- An outcome at avslut, described; not an effect of the insats.
create or replace table marts.forsorjning_fore_efter_ar as
select p.forbund, p.ar::integer as ar,
       coalesce(p.last_fore, 'okand') as fore,
       coalesce(p.last_efter, 'okand') as efter,
       count(*)::bigint as avslutade
from staging.deltagare_person_ar p
join marts.deltagare_ar d on d.forbund = p.forbund and d.ar = p.ar and d.insats = '*' and d.kalla = 'sus'
where p.niva = 'forbund' and not p.anonym and not p.open_at_end
  and (p.last_fore is not null or p.last_efter is not null)
group by all
order by forbund, ar, fore, efter;
