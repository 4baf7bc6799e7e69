-- avslut_ar.summa: avslut_ar has one row per deltagare_ar row and kategori; where deltagare_ar counted from
-- registrations or from reported avslut (Uppföljning Finsam) its kategori rows add up to avslutade, arbete + studier
-- to avslut_arbete_studier, arbetssokande + studieredo to avslut_jobb_studieredo; elsewhere they are NULL;
-- med_stod + utan_stod <= avslutade; avslut_stegforflyttning is one count per level and year, NULL exactly where the
-- kategori counts are, and at most avslutade.
-- The rows that break the rule; none = passed.
with summa as (
    select forbund, insats, ar, count(*) as rader, count(avslutade) as med_antal, sum(avslutade) as avslutade,
           sum(avslutade) filter (where kategori in ('arbete', 'studier')) as arbete_studier,
           sum(avslutade) filter (where kategori in ('arbetssokande', 'studieredo')) as jobb_studieredo,
           bool_or(med_stod + utan_stod > avslutade) as stod_over,
           count(distinct avslut_stegforflyttning) > 1 or count(avslut_stegforflyttning) not in (0, count(*))
               or (count(avslut_stegforflyttning) > 0) <> (count(avslutade) > 0)
               or max(avslut_stegforflyttning) > sum(avslutade) as steg_fel
    from marts.avslut_ar
    group by all
)
select d.forbund, d.insats, d.ar
from marts.deltagare_ar d
left join summa s using (forbund, insats, ar)
where s.rader is distinct from (select count(*) from register.avslut_kategori)
   or (d.kalla in ('sus', 'uppfoljning') and (s.avslutade is distinct from d.avslutade
                            or s.arbete_studier is distinct from d.avslut_arbete_studier
                            or s.jobb_studieredo is distinct from d.avslut_jobb_studieredo))
   or (d.kalla is distinct from 'sus' and d.kalla is distinct from 'uppfoljning' and s.med_antal > 0)
   or (d.kalla = 'uppfoljning' and d.avslutade is null and s.med_antal > 0)
   or s.stod_over
   or s.steg_fel
union all
select a.forbund, a.insats, a.ar
from marts.avslut_ar a anti join marts.deltagare_ar d using (forbund, insats, ar)
