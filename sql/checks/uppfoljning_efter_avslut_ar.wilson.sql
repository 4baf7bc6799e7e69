-- uppfoljning_efter_avslut_ar.wilson: andel_arbete_studier_lag <= andel_arbete_studier <= andel_arbete_studier_hog,
-- all within 0-1; the interval is NULL exactly when the share is NULL.
-- The rows that break the rule; none = passed.
select forbund, insats, avslutsar, manader
from marts.uppfoljning_efter_avslut_ar
where (andel_arbete_studier_lag is null) <> (andel_arbete_studier is null)
   or (andel_arbete_studier_hog is null) <> (andel_arbete_studier is null)
   or not (0 <= andel_arbete_studier_lag and andel_arbete_studier_lag <= andel_arbete_studier
           and andel_arbete_studier <= andel_arbete_studier_hog and andel_arbete_studier_hog <= 1)
