-- deltagare_grupp_ar.summa: The groups of each dimension add up to the förbund's row in deltagare_ar: its deltagare
-- (unique persons) from registrations; from Uppföljning Finsam, the kön groups add up to its registreringar (the sum
-- over insatser) and its reported avslut.
-- The rows that break the rule; none = passed.
select g.forbund, g.ar, g.dimension from marts.deltagare_grupp_ar g
join marts.deltagare_ar d on d.forbund = g.forbund and d.ar = g.ar and d.insats = '*'
where d.kalla = 'sus' or (d.kalla = 'uppfoljning' and g.dimension = 'kon')
group by g.forbund, g.ar, g.dimension, d.kalla, d.deltagare, d.registreringar, d.nyinskrivna, d.avslutade,
         d.avslut_arbete_studier, d.avslut_jobb_studieredo
having sum(g.deltagare) is distinct from (case d.kalla when 'sus' then d.deltagare else d.registreringar end)
    or sum(g.nyinskrivna) is distinct from d.nyinskrivna
    or sum(g.avslutade) is distinct from d.avslutade
    or sum(g.avslut_arbete_studier) is distinct from d.avslut_arbete_studier
    or sum(g.avslut_jobb_studieredo) is distinct from d.avslut_jobb_studieredo
