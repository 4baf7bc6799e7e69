-- prognos_helar: the förbund's prognosis where it gave one, else utfall_hittills / forvantad_andel.
select d.forbund, d.ar, d.period_till, d.kategori, d.prognos_helar, d.prognos_kalla, b.prognos
from marts.delar_ar d
left join marts.budget_utfall_ar b on b.forbund = d.forbund and b.ar = d.ar and b.insats = '*'
     and b.kategori = d.kategori
where (d.prognos_kalla = 'forbund' and (b.prognos is null or abs(d.prognos_helar - b.prognos) > 0.01))
   or (d.prognos_kalla = 'linjar' and (b.prognos is not null
       or abs(d.prognos_helar - d.utfall_hittills / d.forvantad_andel) > 0.01))
   or ((d.prognos_kalla is null) <> (d.prognos_helar is null))
