-- deltagare_grupp_ar.summa: The groups of each dimension add up to the förbund's row in deltagare_ar.
-- The rows that break the rule; none = passed.
select g.forbund, g.ar, g.dimension from marts.deltagare_grupp_ar g
join marts.deltagare_ar d on d.forbund = g.forbund and d.ar = g.ar and d.insats = '*'
where d.kalla = 'sus'
group by g.forbund, g.ar, g.dimension, d.deltagare, d.nyinskrivna, d.avslutade,
         d.avslut_arbete_studier, d.avslut_jobb_studieredo
having sum(g.deltagare) <> d.deltagare or sum(g.nyinskrivna) <> d.nyinskrivna
    or sum(g.avslutade) <> d.avslutade or sum(g.avslut_arbete_studier) <> d.avslut_arbete_studier
    or sum(g.avslut_jobb_studieredo) <> d.avslut_jobb_studieredo
