-- jamforelse_ar.wilson: jamforelse_ar: andel_*_lag <= andel_* <= andel_*_hog, all within 0-1; the interval is NULL exactly when its share is NULL or above 1.
-- The rows that break the rule; none = passed.
select j.forbund, j.ar, s.andel_namn
from marts.jamforelse_ar j
cross join lateral (values
    ('andel_avslutade', j.andel_avslutade, j.andel_avslutade_lag, j.andel_avslutade_hog),
    ('andel_arbete_studier', j.andel_arbete_studier, j.andel_arbete_studier_lag, j.andel_arbete_studier_hog),
    ('andel_jobb_studieredo', j.andel_jobb_studieredo, j.andel_jobb_studieredo_lag, j.andel_jobb_studieredo_hog),
    ('andel_stegforflyttning', j.andel_stegforflyttning, j.andel_stegforflyttning_lag, j.andel_stegforflyttning_hog)
) s(andel_namn, andel, lag, hog)
where (s.lag is null) <> (s.hog is null)
   or (s.lag is null) <> (s.andel is null or s.andel > 1)
   or not (0 <= s.lag and s.lag <= s.andel and s.andel <= s.hog and s.hog <= 1)
