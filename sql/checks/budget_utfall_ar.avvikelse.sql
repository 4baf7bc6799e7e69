-- avvikelse = utfall - budget, avvikelse_andel = avvikelse / budget (to the öre, and to 1e-9 of the share).
select forbund, ar, insats, kategori, budget, utfall, avvikelse, avvikelse_andel
from marts.budget_utfall_ar
where (avvikelse is null) <> (utfall is null or budget is null)
   or abs(avvikelse - (utfall - budget)) > 0.01
   or (avvikelse_andel is null) <> (avvikelse is null or budget = 0)
   or abs(avvikelse_andel - avvikelse / budget) > 1e-9
